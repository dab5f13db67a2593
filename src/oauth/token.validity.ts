import type { OAuthPrincipal } from '../access/principal';
import type { GrantStatusRecord } from './grants.repository';
import type { TokenRecord } from './tokens.repository';

/**
 * The scopes a token or grant holds *now*: what was granted, narrowed to what its client is still allowed
 * (an operator removing a scope from a client takes it from live tokens at once). `null` = no restriction.
 */
export function effectiveScopes(granted: readonly string[], clientScopes: readonly string[] | null): string[] {
  if (clientScopes === null) return [...granted];
  const allowed = new Set(clientScopes);
  return granted.filter((s) => allowed.has(s));
}

/** Why a token is not usable, or undefined when it is (the reason feeds logs and tests, never the client). */
export function tokenProblem(t: TokenRecord, now: Date): 'revoked' | 'grant_revoked' | 'used' | 'expired' | undefined {
  if (t.revokedAt) return 'revoked';
  if (t.grantRevokedAt) return 'grant_revoked';
  if (t.kind === 'refresh' && t.usedAt) return 'used';
  if (t.expiresAt.getTime() <= now.getTime()) return 'expired';
  return undefined;
}

/** The principal an access token stands for. */
export function principalOf(t: TokenRecord): OAuthPrincipal {
  return withUser(
    { tokenId: t.id, grantId: t.grantId, clientId: t.clientId, scopes: effectiveScopes(t.scopes, t.clientScopes), expiresAt: t.expiresAt },
    t.userId,
    t.userIdentifier,
  );
}

/** The principal a live grant stands for (an L402 bound to it): its newest access token, the grant's scopes. */
export function grantPrincipalOf(r: GrantStatusRecord): OAuthPrincipal {
  const g = r.grant;
  return withUser(
    {
      tokenId: r.latestAccessTokenId ?? g.id,
      grantId: g.id,
      clientId: g.clientId,
      scopes: effectiveScopes(g.scopes, r.clientScopes),
      expiresAt: g.expiresAt,
    },
    g.userId,
    g.userIdentifier,
  );
}

function withUser(p: OAuthPrincipal, userId: string | null, identifier: string | null): OAuthPrincipal {
  if (userId !== null) p.userId = userId;
  if (identifier !== null) p.identifier = identifier;
  return p;
}
