/**
 * The two HS256 JWTs satgate shares with Alby-style deployments:
 * - the *user JWT* a resource owner presents at `/oauth/authorize` (`Authorization: Bearer <jwt>`),
 *   issued by the wallet backend (LNDhub / getalby.com) with the shared `JWT_SECRET`, claims `{id, identifier}`;
 * - the *identity JWT* satgate forwards to an origin, `{id, clientId, exp: now+60}`, exactly what
 *   Alby's gateway injects so LNDhub-style origins accept it unchanged.
 * Built on `jose` (ESM-only; loaded through Node 20.19+ require(esm) from this CommonJS build).
 */
import { SignJWT, jwtVerify } from 'jose';
import type { Clock } from '../clock';
import { InvalidToken } from './resource-errors';

/** The only accepted algorithm. Pinned, not read from the token header (RFC 8725 §3.1, §2.1: `none` and alg confusion). */
export const USER_JWT_ALGORITHM = 'HS256';

/** Lifetime of the identity JWT forwarded to origins; Alby's gateway uses 60 s because the request is sent at once. */
export const IDENTITY_JWT_LIFETIME_SECONDS = 60;

/**
 * User ids with this prefix name satgate's own local accounts (`local:<uuid>`, see src/accounts). A user JWT
 * is refused when its id starts with it: whoever can sign user JWTs (the wallet backend) must not be able to
 * speak for a local account, whose grants and tokens would then be shared with a stranger.
 */
export const LOCAL_USER_ID_PREFIX = 'local:';

/** Why a user JWT was refused (logged and tested; the client sees it as `error_description`). */
export type UserJwtFailure =
  | 'malformed'
  | 'alg_not_allowed'
  | 'bad_signature'
  | 'expired'
  | 'missing_exp'
  | 'not_yet_valid'
  | 'invalid_claims'
  | 'refresh_token'
  | 'identity_token';

/** A refused user JWT: a 401 `invalid_token` (RFC 6750 §3.1) that also names the reason. */
export class UserJwtRejected extends InvalidToken {
  readonly reason: UserJwtFailure;
  constructor(reason: UserJwtFailure, description: string, cause?: unknown) {
    super(description, { cause });
    this.reason = reason;
  }
}

/** The resource owner a verified user JWT names. */
export interface UserJwtClaims {
  /** User id as a string (Alby's is a JSON number; Alby formats it `%.0f`). */
  id: string;
  /** Login identifier, when the issuer includes one. */
  identifier?: string;
}

function keyOf(secret: string): Uint8Array {
  if (typeof secret !== 'string' || secret === '') throw new TypeError('JWT secret must be a non-empty string');
  return new TextEncoder().encode(secret);
}

const JOSE_REASONS: Readonly<Record<string, [UserJwtFailure, string]>> = {
  ERR_JOSE_ALG_NOT_ALLOWED: ['alg_not_allowed', 'user token must be signed with HS256'],
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: ['bad_signature', 'user token signature is invalid'],
  ERR_JWT_EXPIRED: ['expired', 'user token has expired'],
};

/**
 * Verifies a user JWT: compact JWS, `alg` exactly HS256 (so `none`, HS512 and asymmetric algorithms
 * are refused before any signature work), signature under the raw UTF-8 `secret`, an `exp` claim
 * (required: a token without one would authenticate forever) strictly after `clock.now()`
 * (RFC 7519 §4.1.4), `nbf` not in the future, and an `id` claim that is a safe integer or a non-empty
 * string not starting with {@link LOCAL_USER_ID_PREFIX}. Tokens marked `isRefresh: true` (LNDhub's
 * refresh JWTs, same secret) are refused: a refresh credential must not authenticate a user; so are
 * tokens with a `clientId` claim (satgate's own identity JWTs for origins).
 * Throws {@link UserJwtRejected}.
 */
export async function verifyUserJwt(token: string, secret: string, clock: Clock): Promise<UserJwtClaims> {
  const key = keyOf(secret);
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [USER_JWT_ALGORITHM],
      currentDate: clock.now(),
      requiredClaims: ['exp'],
    }));
  } catch (err) {
    const code = (err as { code?: unknown })?.code;
    const known = typeof code === 'string' ? JOSE_REASONS[code] : undefined;
    if (known) throw new UserJwtRejected(known[0], known[1], err);
    const { claim, reason } = (err ?? {}) as { claim?: unknown; reason?: unknown };
    if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'nbf') {
      throw new UserJwtRejected('not_yet_valid', 'user token is not valid yet', err);
    }
    if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'exp' && reason === 'missing') {
      throw new UserJwtRejected('missing_exp', 'user token must carry an exp claim', err);
    }
    throw new UserJwtRejected('malformed', 'user token is malformed', err);
  }

  if (payload.isRefresh === true) {
    throw new UserJwtRejected('refresh_token', 'a refresh token cannot authenticate a user');
  }
  // The identity JWT satgate forwards to origins carries `clientId` and may share this secret (Alby's setup):
  // an origin, or anything that saw one, must not replay it here to act as the user.
  if (payload.clientId !== undefined) {
    throw new UserJwtRejected('identity_token', 'a forwarded identity token cannot authenticate a user');
  }
  const { id, identifier } = payload;
  let userId: string;
  if (typeof id === 'number' && Number.isSafeInteger(id)) userId = String(id);
  else if (typeof id === 'string' && id !== '') userId = id;
  else throw new UserJwtRejected('invalid_claims', 'user token lacks a valid id claim');
  if (userId.startsWith(LOCAL_USER_ID_PREFIX)) {
    throw new UserJwtRejected('invalid_claims', `user token id must not start with ${LOCAL_USER_ID_PREFIX} (reserved for local accounts)`);
  }
  if (identifier !== undefined && typeof identifier !== 'string') {
    throw new UserJwtRejected('invalid_claims', 'user token identifier claim must be a string');
  }
  return identifier === undefined ? { id: userId } : { id: userId, identifier };
}

/** Who an origin is told the caller is. */
export interface IdentityJwtSubject {
  /** satgate's user id for the grant's resource owner. */
  id: string | number;
  /** OAuth client acting for the user. */
  clientId: string;
}

/**
 * Signs the identity JWT forwarded to origins: header `{"alg":"HS256","typ":"JWT"}`, payload
 * `{id, clientId, exp}` with `exp = now + 60 s` (whole seconds). A decimal-integer id is emitted as a
 * JSON number, as Alby does — LNDhub decodes `id` into an int64 and would reject a string — and any
 * other id (e.g. a UUID of a local account) as a string.
 */
export async function signIdentityJwt(subject: IdentityJwtSubject, secret: string, clock: Clock): Promise<string> {
  const key = keyOf(secret);
  const asNumber = typeof subject.id === 'number' ? subject.id : /^(0|[1-9][0-9]*)$/.test(subject.id) ? Number(subject.id) : NaN;
  const id = Number.isSafeInteger(asNumber) ? asNumber : String(subject.id);
  const exp = Math.floor(clock.now().getTime() / 1000) + IDENTITY_JWT_LIFETIME_SECONDS;
  return new SignJWT({ id, clientId: subject.clientId, exp })
    .setProtectedHeader({ alg: USER_JWT_ALGORITHM, typ: 'JWT' })
    .sign(key);
}
