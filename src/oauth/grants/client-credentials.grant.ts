import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ClientsService } from '../../clients/clients.service';
import { APP_CONFIG } from '../../config/config.module';
import type { RuntimeConfig } from '../../config/config.types';
import { assertScopeSubset, parseScope, ScopeRegistry, UnauthorizedClient } from '../../core/oauth';
import { GrantsService } from '../grants.service';
import { TokenIssuer, tokenResponse, type TokenResponse } from '../token.issuer';
import { type GrantContext, type GrantHandler, readGrantParams } from './grant.handler';
import { CLOCK } from '../../common/clock.module';
import type { Clock } from '../../core/clock';

const PARAMETERS = ['scope'] as const;

/**
 * `grant_type=client_credentials` (RFC 6749 §4.4): a confidential client acting for itself — no user, no
 * refresh token (§4.4.3). Scope defaults to everything the client is allowed; asking for more is invalid_scope.
 */
@Injectable()
export class ClientCredentialsGrant implements GrantHandler {
  readonly grantType = 'client_credentials';
  readonly parameters = PARAMETERS;

  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly clients: ClientsService,
    private readonly scopes: ScopeRegistry,
    private readonly grants: GrantsService,
    private readonly issuer: TokenIssuer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async handle({ client, params }: GrantContext): Promise<TokenResponse> {
    if (client.public) throw new UnauthorizedClient('public clients cannot use client_credentials');
    const p = readGrantParams(params, PARAMETERS);
    const allowed = this.clients.allowedScopesOf(client);
    let scopes = parseScope(p.scope);
    if (scopes.length === 0) scopes = parseScope(allowed.join(' '));
    this.scopes.assertKnown(scopes);
    assertScopeSubset(scopes, allowed, 'allowed for this client');
    const now = this.clock.now();
    const issued = await this.db.transaction(async (em) => {
      const grant = await this.grants.create(
        em,
        { clientId: client.clientId, origin: 'client_credentials', scopes, accessTtlSeconds: this.config.accessExpirySeconds },
        now,
      );
      return this.issuer.issue(em, grant, { accessScopes: scopes, refresh: false, now });
    });
    return tokenResponse(issued);
  }
}
