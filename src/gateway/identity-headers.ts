import type { Principal } from '../access/principal';
import type { Clock } from '../core/clock';
import { IDENTITY_JWT_LIFETIME_SECONDS, signIdentityJwt } from '../core/oauth/user-jwt';

/** Headers telling an origin which L402 paid for the request (aperture-style deployments read these). */
export const L402_HEADERS = {
  tokenId: 'x-satgate-l402-token-id',
  service: 'x-satgate-l402-service',
  tier: 'x-satgate-l402-tier',
  capabilities: 'x-satgate-l402-capabilities',
} as const;

/** Sent instead of the identity JWT for an OAuth token that has no user (client_credentials). */
export const OAUTH_CLIENT_HEADER = 'x-satgate-oauth-client-id';

const CACHE_LIMIT = 10_000;

/**
 * Turns the principal the access guard established into the headers the origin receives:
 * - an OAuth caller acting for a user: `Authorization: Bearer <HS256 JWT {id, clientId, exp: now+60}>` signed
 *   with the origin secret — exactly Alby's gateway, so LNDhub-style origins accept it unchanged;
 * - an OAuth client without a user (client_credentials): `X-Satgate-OAuth-Client-Id` (no user to name in a JWT);
 * - an L402 caller: token id, service, tier and capabilities headers.
 * A `both` route gets the JWT and the L402 headers.
 *
 * Signing is the only per-request cost here, so tokens are reused while their `exp` second is the one a fresh
 * signature would carry: the JWT is deterministic (HS256 over the same claims), so the origin sees byte for
 * byte what signing anew would have produced.
 */
export class IdentityHeaders {
  private readonly jwts = new Map<string, { exp: number; token: string }>();

  constructor(
    private readonly secret: string,
    private readonly clock: Clock,
  ) {}

  /** Headers for one request; empty for an anonymous caller (mode `none`). */
  async for(principal: Principal | undefined): Promise<Record<string, string>> {
    const headers: Record<string, string> = {};
    if (!principal) return headers;
    const oauth = principal.oauth;
    if (oauth) {
      if (oauth.userId !== undefined && oauth.userId !== '') {
        headers.authorization = `Bearer ${await this.jwt(oauth.userId, oauth.clientId)}`;
      } else {
        headers[OAUTH_CLIENT_HEADER] = oauth.clientId;
      }
    }
    const l402 = principal.l402;
    if (l402) {
      headers[L402_HEADERS.tokenId] = l402.tokenId;
      headers[L402_HEADERS.service] = l402.service;
      headers[L402_HEADERS.tier] = String(l402.tier);
      headers[L402_HEADERS.capabilities] = l402.capabilities.join(',');
    }
    return headers;
  }

  private async jwt(userId: string, clientId: string): Promise<string> {
    const now = this.clock.now();
    const exp = Math.floor(now.getTime() / 1000) + IDENTITY_JWT_LIFETIME_SECONDS;
    const key = `${userId}\u0000${clientId}`;
    const cached = this.jwts.get(key);
    if (cached && cached.exp === exp) return cached.token;
    const token = await signIdentityJwt({ id: userId, clientId }, this.secret, { now: () => now });
    if (this.jwts.size >= CACHE_LIMIT) this.jwts.clear();
    this.jwts.set(key, { exp, token });
    return token;
  }
}
