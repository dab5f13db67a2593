import { Injectable, Inject } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { logger } from '../../common/logger';
import { hashSecret, InvalidGrant, InvalidRequest, narrowScopes, type OAuthError } from '../../core/oauth';
import { ResourceOwnerStatus } from '../../users/resource-owner.status';
import { OAuthGrant } from '../grant.entity';
import { GrantsService } from '../grants.service';
import { effectiveScopes } from '../token.validity';
import { TokenIssuer, tokenResponse, type TokenResponse } from '../token.issuer';
import { TokensRepository } from '../tokens.repository';
import { type GrantContext, type GrantHandler, readGrantParams } from './grant.handler';
import { CLOCK } from '../../common/clock.module';
import type { Clock } from '../../core/clock';

const PARAMETERS = ['refresh_token', 'scope'] as const;

/**
 * `grant_type=refresh_token` (RFC 6749 §6, RFC 9700 §4.14): the refresh token is bound to the client it was
 * issued to, rotated on every use (the old one and the access tokens it superseded stop working), and a
 * rotated token presented again revokes the whole family. `scope` may narrow the new access token, never widen.
 * The grant of a local account that has since been disabled is refused (and revoked).
 */
@Injectable()
export class RefreshTokenGrant implements GrantHandler {
  readonly grantType = 'refresh_token';
  readonly parameters = PARAMETERS;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly tokens: TokensRepository,
    private readonly grants: GrantsService,
    private readonly issuer: TokenIssuer,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly owners: ResourceOwnerStatus,
  ) {}

  async handle({ client, params }: GrantContext): Promise<TokenResponse> {
    const p = readGrantParams(params, PARAMETERS);
    if (p.refresh_token === undefined) throw new InvalidRequest('missing required parameter: refresh_token');
    const refreshToken = p.refresh_token;
    const now = this.clock.now();

    const outcome = await this.db.transaction(async (em): Promise<{ error: OAuthError; revoked?: string[] } | { response: TokenResponse; grantId: string }> => {
      const token = await this.tokens.lockRefresh(em, hashSecret(refreshToken));
      if (!token) return { error: new InvalidGrant('refresh token is invalid') };
      if (token.clientId !== client.clientId) return { error: new InvalidGrant('refresh token was issued to another client') };
      if (token.usedAt) {
        const revoked = await this.grants.revokeInTransaction(em, [token.grantId], 'refresh_reuse', now);
        logger.warn({ clientId: client.clientId, grantId: token.grantId }, 'rotated refresh token reused; its family is revoked');
        return { error: new InvalidGrant('refresh token was already used'), revoked };
      }
      const grant = await em.getRepository(OAuthGrant).findOneBy({ id: token.grantId });
      if (!grant || token.revokedAt || grant.revokedAt) return { error: new InvalidGrant('refresh token is revoked') };
      if (token.expiresAt.getTime() <= now.getTime()) return { error: new InvalidGrant('refresh token has expired') };
      if (grant.endsAt && grant.endsAt.getTime() <= now.getTime()) return { error: new InvalidGrant('the authorization has expired (expires_at)') };
      if (!(await this.owners.isActive(token.userId, em))) {
        // Disabling revokes the grants; one that slipped past (a refresh racing the disable) goes now.
        const revoked = await this.grants.revokeInTransaction(em, [grant.id], 'account_disabled', now);
        return { error: new InvalidGrant('the account that authorized this refresh token is disabled'), revoked };
      }

      const accessScopes = narrowScopes(p.scope, effectiveScopes(token.scopes, client.scopes));
      await this.tokens.markUsed(em, token.id, now);
      await this.tokens.revokeAccessOfGrant(em, grant.id, now);
      const issued = await this.issuer.issue(em, grant, { accessScopes, refresh: true, now });
      logger.debug({ clientId: client.clientId, grantId: grant.id, tokenId: issued.accessTokenId }, 'refresh token rotated');
      return { response: tokenResponse(issued), grantId: grant.id };
    });

    if ('error' in outcome) {
      if (outcome.revoked?.length) await this.grants.publishRevoked(outcome.revoked);
      throw outcome.error;
    }
    // The superseded access tokens may sit in caches: drop the family's entries everywhere.
    await this.grants.publishRevoked([outcome.grantId]);
    return outcome.response;
  }
}
