import { Injectable, Inject } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { BudgetsService, SPENDING_SCOPE } from '../../budgets/budgets.service';
import { ClientsService } from '../../clients/clients.service';
import { logger } from '../../common/logger';
import {
  type CodeChallengeMethod,
  hashSecret,
  InvalidGrant,
  InvalidRequest,
  type OAuthError,
  verifyCodeVerifier,
} from '../../core/oauth';
import { ResourceOwnerStatus } from '../../users/resource-owner.status';
import { CodesRepository } from '../codes.repository';
import { GrantsService } from '../grants.service';
import { effectiveScopes } from '../token.validity';
import { TokenIssuer, tokenResponse, type TokenResponse } from '../token.issuer';
import { type GrantContext, type GrantHandler, readGrantParams } from './grant.handler';
import { CLOCK } from '../../common/clock.module';
import type { Clock } from '../../core/clock';

const PARAMETERS = ['code', 'redirect_uri', 'code_verifier'] as const;

/**
 * `grant_type=authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.5). The code is locked for the transaction,
 * checked (client, expiry, redirect URI, PKCE) and consumed together with creating the grant and its tokens.
 * A second redemption fails *and revokes every token issued from the code* (RFC 6749 §4.1.2, RFC 9700 §4.5).
 * A code issued to a local account that has since been disabled is refused.
 */
@Injectable()
export class AuthorizationCodeGrant implements GrantHandler {
  readonly grantType = 'authorization_code';
  readonly parameters = PARAMETERS;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly codes: CodesRepository,
    private readonly grants: GrantsService,
    private readonly clients: ClientsService,
    private readonly issuer: TokenIssuer,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly owners: ResourceOwnerStatus,
    private readonly budgets: BudgetsService,
  ) {}

  async handle({ client, params }: GrantContext): Promise<TokenResponse> {
    const p = readGrantParams(params, PARAMETERS);
    if (p.code === undefined) throw new InvalidRequest('missing required parameter: code');
    const code = p.code;
    const now = this.clock.now();

    // Errors that must still commit (revocation on reuse) are returned, not thrown, from the transaction.
    const outcome = await this.db.transaction(async (em): Promise<{ error: OAuthError; revoked?: string[] } | { response: TokenResponse }> => {
      const row = await this.codes.lockByHash(em, hashSecret(code));
      if (!row || row.clientId !== client.clientId) return { error: new InvalidGrant('authorization code is invalid') };
      if (row.consumedAt) {
        const revoked = row.grantId ? await this.grants.revokeInTransaction(em, [row.grantId], 'code_reuse', now) : [];
        logger.warn({ clientId: client.clientId, grantId: row.grantId }, 'authorization code reused; its tokens are revoked');
        return { error: new InvalidGrant('authorization code was already used'), revoked };
      }
      if (row.expiresAt.getTime() <= now.getTime()) return { error: new InvalidGrant('authorization code has expired') };
      if (row.endsAt && row.endsAt.getTime() <= now.getTime()) return { error: new InvalidGrant('the authorization has expired (expires_at)') };
      const redirectOk = row.redirectUriExplicit ? p.redirect_uri === row.redirectUri : p.redirect_uri === undefined || p.redirect_uri === row.redirectUri;
      if (!redirectOk) return { error: new InvalidGrant('redirect_uri does not match the authorization request') };
      const stored = row.codeChallenge ? { challenge: row.codeChallenge, method: row.codeChallengeMethod as CodeChallengeMethod } : undefined;
      verifyCodeVerifier(stored, p.code_verifier, { allowPlain: false });
      // Checked while the code is locked: disabling the account deletes unexchanged codes and waits for this row.
      if (!(await this.owners.isActive(row.userId, em))) {
        return { error: new InvalidGrant('the account that authorized this code is disabled') };
      }

      const grant = await this.grants.create(
        em,
        {
          clientId: client.clientId,
          owner: row.userIdentifier === null ? { id: row.userId } : { id: row.userId, identifier: row.userIdentifier },
          origin: 'authorization_code',
          scopes: effectiveScopes(row.scopes, this.clients.allowedScopesOf(client)),
          redirectUri: row.redirectUri,
          accessTtlSeconds: row.accessTtlSeconds,
          endsAt: row.endsAt,
        },
        now,
      );
      // The budget the user approved; a code from before budgets existed gets the operator's default.
      if (grant.scopes.includes(SPENDING_SCOPE)) await this.budgets.attach(em, grant.id, row.budget ?? this.budgets.policy.defaultLimit);
      const issued = await this.issuer.issue(em, grant, { accessScopes: grant.scopes, refresh: true, now });
      await this.codes.markConsumed(em, row.id, grant.id, now);
      logger.debug({ clientId: client.clientId, grantId: grant.id, tokenId: issued.accessTokenId }, 'code exchanged for tokens');
      return { response: tokenResponse(issued) };
    });

    if ('error' in outcome) {
      if (outcome.revoked?.length) await this.grants.publishRevoked(outcome.revoked);
      throw outcome.error;
    }
    return outcome.response;
  }
}
