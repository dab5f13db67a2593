import { LOCAL_USER_ID_PREFIX } from '../core/oauth';

/**
 * How local accounts are named outside this module. OAuth grants, tokens and the identity JWT sent to
 * origins carry a user id; origin users (Alby-style user JWTs) have the origin's ids (e.g. `214`), so local
 * accounts use `local:<uuid>` — the prefix can never collide with a numeric origin id, and an origin can tell
 * a local account apart. The identifier (`identifier` claim) is the username. User JWTs naming a `local:` id
 * are refused (core/oauth/user-jwt.ts), so the wallet backend's tokens can never speak for a local account.
 */
export const LOCAL_USER_PREFIX = LOCAL_USER_ID_PREFIX;

/** The OAuth/origin user id of a local account. */
export function localUserId(accountId: string): string {
  return `${LOCAL_USER_PREFIX}${accountId}`;
}

/** The account id inside a `local:<uuid>` user id, or undefined for any other user id. */
export function accountIdOf(userId: string): string | undefined {
  return userId.startsWith(LOCAL_USER_PREFIX) ? userId.slice(LOCAL_USER_PREFIX.length) : undefined;
}

/** Usernames: 2–64 of `a-z 0-9 . _ -`, starting with a letter or digit; stored lowercase. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;

/** Passwords: at least 8 characters (NIST SP 800-63B §5.1.1.2), at most 256 (bounds the hashing work). */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

/** The stored form of a username as typed: trimmed and lowercased (sign-in is case-insensitive). */
export function normalizeUsername(raw: string): string {
  return raw.trim().toLowerCase();
}

/** True for the canonical v4-style UUID text form Postgres accepts (guards queries against 500s). */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
