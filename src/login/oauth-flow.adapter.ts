import { Inject, Injectable } from '@nestjs/common';
import { BudgetsService } from '../budgets/budgets.service';
import { type BudgetLimit, budgetInWords } from '../core/budget';
import { isOAuthError, ScopeRegistry } from '../core/oauth';
import { CLOCK } from '../common/clock.module';
import type { Clock } from '../core/clock';
import { AuthorizationRequest, AuthorizationService } from '../oauth/authorization.service';
import { GrantsService, NoGrantForClient } from '../oauth/grants.service';
import {
  AuthorizationFlowPort,
  AuthorizationRejected,
  AuthorizingUser,
  ClientDisplay,
  ConnectedApp,
  ScopeDisplay,
  ValidatedAuthorization,
} from './authorization-flow.port';

/**
 * The AuthorizationFlowPort over the OAuth module's own services, so the browser flow issues codes, records
 * grants and revokes apps exactly as `/oauth/authorize` (user JWT) and `DELETE /clients/:clientId` do.
 */
@Injectable()
export class OAuthFlowAdapter implements AuthorizationFlowPort {
  constructor(
    private readonly authorization: AuthorizationService,
    private readonly grants: GrantsService,
    private readonly scopes: ScopeRegistry,
    private readonly budgets: BudgetsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async validate(params: Record<string, string | string[]>): Promise<ValidatedAuthorization> {
    let validation;
    try {
      validation = await this.authorization.validate(params);
    } catch (err) {
      // Thrown errors are the ones RFC 6749 §4.1.2.1 says to show, never redirect (unknown client, bad redirect URI).
      if (isOAuthError(err)) throw new AuthorizationRejected(err.error, err.description);
      throw err;
    }
    if (!validation.ok) throw new AuthorizationRejected('redirected', 'the request was refused', validation.location);
    const request = validation.request;
    const client: ClientDisplay = {
      clientId: request.client.clientId,
      name: request.client.name,
      imageUrl: request.client.imageUrl,
      url: request.client.url,
      public: request.client.public,
    };
    const v: ValidatedAuthorization = { client, redirectUri: request.redirectUri, scopes: this.describe(request.scopes), request };
    if (request.state !== undefined) v.state = request.state;
    if (request.budget) v.budget = { ...request.budget, words: this.words(request.budget) };
    return v;
  }

  approve(user: AuthorizingUser, v: ValidatedAuthorization, budget?: BudgetLimit): Promise<string> {
    return this.authorization.approve(v.request as AuthorizationRequest, { id: user.id, identifier: user.identifier }, budget);
  }

  async deny(v: ValidatedAuthorization): Promise<string> {
    return this.authorization.deny(v.request as AuthorizationRequest);
  }

  /**
   * Consent may be skipped when the user's live grants to the app already hold every requested scope. The
   * OAuth module reports one entry per app with the union of its live grants' scopes: all of them were
   * approved by this user for this app, so asking again would add nothing.
   */
  async previouslyApproved(userId: string, clientId: string, scopes: string[]): Promise<boolean> {
    const app = (await this.grants.connectedApps({ id: userId })).find((a) => a.id === clientId);
    return app !== undefined && scopes.every((s) => Object.hasOwn(app.scopes, s));
  }

  async listConnectedApps(userId: string): Promise<ConnectedApp[]> {
    const apps = await this.grants.connectedApps({ id: userId });
    return apps.map((a) => {
      const app: ConnectedApp = {
        client: { clientId: a.id, name: a.name, imageUrl: a.imageUrl, url: a.url },
        scopes: Object.entries(a.scopes).map(([name, description]) => ({ name, description })),
        since: new Date(a.createdAt),
      };
      if (a.budget) {
        const limit = { maxAmountSat: a.budget.max_amount_sat, renewal: a.budget.budget_renewal };
        app.budget = { view: a.budget, words: this.words(limit) };
      }
      return app;
    });
  }

  async setAppBudget(userId: string, clientId: string, maxAmountSat: number): Promise<void> {
    const current = (await this.grants.connectedApps({ id: userId })).find((a) => a.id === clientId)?.budget;
    if (!current) return; // revoked meanwhile (another tab): nothing to change
    await this.grants.setAppBudget({ id: userId }, clientId, { maxAmountSat, renewal: current.budget_renewal });
  }

  private words(limit: BudgetLimit): string {
    return budgetInWords(limit, this.clock.now(), this.budgets.timeZone);
  }

  /** Revoking an app that holds no grant (already revoked, double click) is not an error for the user. */
  async revokeApp(userId: string, clientId: string): Promise<void> {
    try {
      await this.grants.disconnect({ id: userId }, clientId);
    } catch (err) {
      if (!(err instanceof NoGrantForClient)) throw err;
    }
  }

  async revokeAllApps(userId: string): Promise<void> {
    await this.grants.revokeAllOfUser(userId, 'account_disabled');
  }

  private describe(scopes: string[]): ScopeDisplay[] {
    return scopes.map((name) => ({ name, description: this.scopes.describe(name) ?? name }));
  }
}
