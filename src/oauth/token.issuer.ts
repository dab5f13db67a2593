import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { RuntimeConfig } from '../config/config.types';
import { formatScope, generateOpaqueToken, hashSecret } from '../core/oauth';
import type { OAuthGrant } from './grant.entity';
import { GrantsRepository } from './grants.repository';
import { OAuthToken, type TokenKind } from './token.entity';
import { TokensRepository } from './tokens.repository';

/** Raw tokens as returned to the client once; only their hashes are stored. */
export interface IssuedTokens {
  accessToken: string;
  accessTokenId: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshToken?: string;
  /** The access token's scopes. */
  scopes: string[];
}

/** The token endpoint's success body (RFC 6749 §5.1), keys in the order Alby's server writes them. */
export interface TokenResponse {
  access_token: string;
  expires_in: number;
  refresh_token?: string;
  scope: string;
  token_type: 'Bearer';
}

/** Mints opaque tokens (256 random bits each) for a grant, stores their hashes, and extends the grant's expiry. */
@Injectable()
export class TokenIssuer {
  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly tokens: TokensRepository,
    private readonly grants: GrantsRepository,
  ) {}

  /**
   * An access token holding `accessScopes` and, when `refresh` is set, a refresh token holding the grant's full
   * scopes (RFC 6749 §6: a refresh token keeps the original scope even when an access token is narrowed).
   * Runs inside the caller's transaction.
   */
  async issue(
    em: EntityManager,
    grant: OAuthGrant,
    opts: { accessScopes: string[]; refresh: boolean; now: Date },
  ): Promise<IssuedTokens> {
    const accessToken = generateOpaqueToken();
    const accessTtl = cappedTtl(grant, opts.now, grant.accessTtlSeconds);
    const access = this.row('access', accessToken, grant, opts.accessScopes, opts.now, accessTtl);
    const rows = [access];
    let refreshToken: string | undefined;
    if (opts.refresh) {
      refreshToken = generateOpaqueToken();
      rows.push(this.row('refresh', refreshToken, grant, grant.scopes, opts.now, cappedTtl(grant, opts.now, this.config.refreshExpirySeconds)));
    }
    await this.tokens.insert(em, rows);
    const lastExpiry = Math.max(...rows.map((r) => r.expiresAt.getTime()));
    await this.grants.extendExpiry(em, grant.id, new Date(lastExpiry));
    return {
      accessToken,
      accessTokenId: access.id,
      expiresIn: accessTtl,
      scopes: opts.accessScopes,
      ...(refreshToken === undefined ? {} : { refreshToken }),
    };
  }

  private row(kind: TokenKind, raw: string, grant: OAuthGrant, scopes: string[], now: Date, ttlSeconds: number): OAuthToken {
    const t = new OAuthToken();
    t.id = randomUUID();
    t.kind = kind;
    t.tokenHash = hashSecret(raw);
    t.grantId = grant.id;
    t.clientId = grant.clientId;
    t.userId = grant.userId;
    t.userIdentifier = grant.userIdentifier;
    t.scopes = scopes;
    t.expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
    t.usedAt = null;
    t.revokedAt = null;
    t.createdAt = now;
    return t;
  }
}

/** A token lifetime that ends no later than the grant itself (callers refuse grants that have ended). */
function cappedTtl(grant: OAuthGrant, now: Date, ttlSeconds: number): number {
  if (!grant.endsAt) return ttlSeconds;
  return Math.max(1, Math.min(ttlSeconds, Math.floor((grant.endsAt.getTime() - now.getTime()) / 1000)));
}

/** The RFC 6749 §5.1 body for freshly issued tokens, in Alby's key order (no refresh_token for client_credentials). */
export function tokenResponse(issued: IssuedTokens): TokenResponse {
  return {
    access_token: issued.accessToken,
    expires_in: issued.expiresIn,
    ...(issued.refreshToken === undefined ? {} : { refresh_token: issued.refreshToken }),
    scope: formatScope(issued.scopes),
    token_type: 'Bearer',
  };
}
