import { SignJWT } from 'jose';
import { USER_JWT_ALGORITHM, type Clock } from '../core/oauth';

/** Claims of a user JWT as LNDhub issues them: a numeric (or string) id and the login identifier. */
export interface UserJwtSubject {
  id: number | string;
  identifier?: string;
}

/**
 * Signs a user JWT the way LNDhub/getalby.com does (HS256, raw-string JWT_SECRET, claims `{id, identifier}`),
 * with `iat` and an `exp` `lifetimeSeconds` after `clock.now()`. satgate itself only uses it for the demo
 * banner (the user of Alby's mock server) and tests; real user JWTs come from the wallet backend.
 */
export async function signUserJwt(
  subject: UserJwtSubject,
  secret: string,
  clock: Clock,
  lifetimeSeconds: number,
): Promise<string> {
  const now = Math.floor(clock.now().getTime() / 1000);
  const claims: Record<string, unknown> = { id: subject.id };
  if (subject.identifier !== undefined) claims.identifier = subject.identifier;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: USER_JWT_ALGORITHM, typ: 'JWT' })
    .setIssuedAt(now)
    .setExpirationTime(now + lifetimeSeconds)
    .sign(new TextEncoder().encode(secret));
}
