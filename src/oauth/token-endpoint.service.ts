import { Inject, Injectable } from '@nestjs/common';
import type { OAuthClient } from '../clients/client.entity';
import { ClientsService } from '../clients/clients.service';
import { APP_CONFIG } from '../config/config.module';
import type { RuntimeConfig } from '../config/config.types';
import { logger } from '../common/logger';
import type { OAuthPrincipal } from '../access/principal';
import {
  extractClientCredentials,
  formatScope,
  hashSecret,
  InvalidRequest,
  InvalidToken,
  type RawParams,
  readParam,
  ScopeRegistry,
} from '../core/oauth';
import { InvalidationBus } from '../database/invalidation.bus';
import { BudgetsService } from '../budgets/budgets.service';
import { type BudgetRenewal, type BudgetView, PAYMENT_BUDGET_TYPE } from '../core/budget';
import { GrantRegistry } from './grants/grant.registry';
import { GrantsRepository } from './grants.repository';
import { GrantsService } from './grants.service';
import { OAUTH_TOKEN_TOPIC } from './oauth.topics';
import type { TokenResponse } from './token.issuer';
import { effectiveScopes, tokenProblem } from './token.validity';
import { TokensRepository } from './tokens.repository';
import { CLOCK } from '../common/clock.module';
import type { Clock } from '../core/clock';

/** RFC 7662 §2.2 response. Inactive tokens answer `{active: false}` and nothing else. */
export type IntrospectionResponse =
  | { active: false }
  | {
      active: true;
      scope: string;
      client_id: string;
      username?: string;
      token_type?: 'Bearer';
      exp: number;
      iat: number;
      sub?: string;
      iss: string;
      /** RFC 9396 §9.2: what the grant may spend, as the app would have asked for it. */
      authorization_details?: PaymentBudgetDetail[];
      /** The budget's usage now (satgate's extension). */
      budget?: BudgetView;
    };

/** The RFC 9396 authorization detail of a grant's budget. */
export interface PaymentBudgetDetail {
  type: typeof PAYMENT_BUDGET_TYPE;
  max_amount_sat: number | null;
  budget_renewal: BudgetRenewal;
}

/** Alby's `GET /oauth/token/introspect` body. */
export interface AlbyIntrospection {
  client_id: string;
  redirect_uri: string;
  scopes: Record<string, string>;
  /** Present when the token may send payments: the budget, used, remaining and renews_at. */
  budget?: BudgetView;
}

/** The request parts the client-authenticated endpoints read. */
export interface ClientRequest {
  authorization?: string;
  body: RawParams;
}

/**
 * The client-authenticated endpoints: token (RFC 6749 §3.2, dispatching on `grant_type`), introspection
 * (RFC 7662) and revocation (RFC 7009). Client authentication comes first: an unauthenticated caller learns
 * nothing about grants or tokens.
 */
@Injectable()
export class TokenEndpointService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly clients: ClientsService,
    private readonly registry: GrantRegistry,
    private readonly tokens: TokensRepository,
    private readonly grantRows: GrantsRepository,
    private readonly grants: GrantsService,
    private readonly scopes: ScopeRegistry,
    private readonly bus: InvalidationBus,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly budgets: BudgetsService,
  ) {}

  async token(req: ClientRequest): Promise<TokenResponse> {
    const client = await this.authenticate(req);
    const grantType = readParam(req.body, 'grant_type');
    if (grantType === undefined) throw new InvalidRequest('missing required parameter: grant_type');
    return this.registry.get(grantType).handle({ client, params: req.body });
  }

  /**
   * RFC 7662. A confidential client may introspect any token (the resource-server role §2.1 describes); a
   * public client only its own — anything else reads as inactive, so token existence never leaks.
   */
  async introspect(req: ClientRequest): Promise<IntrospectionResponse> {
    const client = await this.authenticate(req);
    const token = readParam(req.body, 'token');
    if (token === undefined) throw new InvalidRequest('missing required parameter: token');
    readParam(req.body, 'token_type_hint');
    const record = await this.tokens.findByHash(hashSecret(token));
    if (!record || tokenProblem(record, this.clock.now())) return { active: false };
    if (client.public && record.clientId !== client.clientId) return { active: false };
    return {
      active: true,
      scope: formatScope(effectiveScopes(record.scopes, record.clientScopes)),
      client_id: record.clientId,
      ...(record.userIdentifier === null ? {} : { username: record.userIdentifier }),
      ...(record.kind === 'access' ? { token_type: 'Bearer' as const } : {}),
      exp: Math.floor(record.expiresAt.getTime() / 1000),
      iat: Math.floor(record.createdAt.getTime() / 1000),
      ...(record.userId === null ? {} : { sub: record.userId }),
      iss: this.config.publicUrl,
      ...(await this.budgetFields(record.grantId)),
    };
  }

  private async budgetFields(grantId: string): Promise<{ authorization_details?: PaymentBudgetDetail[]; budget?: BudgetView }> {
    const budget = await this.budgets.view(grantId);
    if (!budget) return {};
    return {
      authorization_details: [{ type: PAYMENT_BUDGET_TYPE, max_amount_sat: budget.max_amount_sat, budget_renewal: budget.budget_renewal }],
      budget,
    };
  }

  /**
   * RFC 7009: a client revokes its own tokens; the answer is 200 whatever the token (unknown, already
   * revoked, or another client's — which is left alone). Revoking a refresh token revokes its whole grant
   * (§2.1: access tokens of the same grant SHOULD go too); revoking an access token revokes that token.
   */
  async revoke(req: ClientRequest): Promise<void> {
    const client = await this.authenticate(req);
    const token = readParam(req.body, 'token');
    if (token === undefined) throw new InvalidRequest('missing required parameter: token');
    readParam(req.body, 'token_type_hint');
    const record = await this.tokens.findByHash(hashSecret(token));
    if (!record || record.clientId !== client.clientId) return;
    if (record.kind === 'refresh') {
      await this.grants.revoke([record.grantId], 'client_revoked');
      return;
    }
    if (await this.tokens.revoke(record.id, this.clock.now())) {
      logger.info({ clientId: client.clientId, tokenId: record.id }, 'access token revoked');
    }
    await this.bus.publish(OAUTH_TOKEN_TOPIC, record.id);
  }

  /** Alby's bearer introspection: the token's client, the redirect URI it was authorized for, scope descriptions. */
  async describe(principal: OAuthPrincipal): Promise<AlbyIntrospection> {
    const status = await this.grantRows.findStatus(principal.grantId);
    if (!status) throw new InvalidToken();
    const budget = await this.budgets.view(principal.grantId);
    return {
      client_id: principal.clientId,
      redirect_uri: status.grant.redirectUri ?? '',
      scopes: this.scopes.describeAll(principal.scopes),
      ...(budget ? { budget } : {}),
    };
  }

  private authenticate(req: ClientRequest): Promise<OAuthClient> {
    return this.clients.authenticate(extractClientCredentials({ authorization: req.authorization, body: req.body }));
  }
}
