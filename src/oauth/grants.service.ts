import { Injectable, Inject } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { BudgetsService, SPENDING_SCOPE } from '../budgets/budgets.service';
import { logger } from '../common/logger';
import type { BudgetLimit, BudgetView } from '../core/budget';
import { ScopeRegistry } from '../core/oauth';
import { InvalidationBus } from '../database/invalidation.bus';
import type { ResourceOwner } from '../users/resource-owner';
import { CodesRepository } from './codes.repository';
import { OAuthGrant, type GrantOrigin } from './grant.entity';
import { GrantsRepository } from './grants.repository';
import { OAUTH_GRANT_TOPIC } from './oauth.topics';
import { TokensRepository } from './tokens.repository';
import { CLOCK } from '../common/clock.module';
import type { Clock } from '../core/clock';

/** Why a grant was revoked (stored, logged; never sent to clients). */
export type RevocationReason = 'code_reuse' | 'refresh_reuse' | 'user' | 'client_revoked' | 'account_disabled' | 'admin';

/** What a new grant records. */
export interface GrantSpec {
  clientId: string;
  owner?: ResourceOwner;
  origin: GrantOrigin;
  scopes: string[];
  redirectUri?: string;
  accessTtlSeconds: number;
  /** The grant's own end (`expires_at` at /oauth/authorize). */
  endsAt?: Date | null;
}

/** An app holding a live grant from the user (`GET /clients`), in Alby's ListClientsResponse shape. */
export interface ConnectedApp {
  id: string;
  name: string;
  imageUrl: string;
  url: string;
  /** Host of the redirect URI the app was authorized with (what Alby shows). */
  domain: string;
  /** scope -> description, union over the user's live grants to this app. */
  scopes: Record<string, string>;
  /** When the user first authorized the app (of the grants still live). */
  createdAt: string;
  /** The spending budget and its usage, when the app may send payments (its newest such grant). */
  budget?: BudgetView;
}

/** `404 {"error":"not_found"}`: the user holds no live grant for that app. */
export class NoGrantForClient extends Error {
  readonly status = 404;
  constructor() {
    super('no live grant for this client');
    this.name = 'NoGrantForClient';
  }
  toBody(): Record<string, unknown> {
    return { error: 'not_found', error_description: 'you have not authorized this app' };
  }
}

/**
 * Grants (authorizations, = token families): creation, revocation — which kills every token of the family and
 * tells every instance to drop them from its cache — and the user's view of the apps they connected.
 */
@Injectable()
export class GrantsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly grants: GrantsRepository,
    private readonly tokens: TokensRepository,
    private readonly codes: CodesRepository,
    private readonly scopes: ScopeRegistry,
    private readonly bus: InvalidationBus,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly budgets: BudgetsService,
  ) {}

  /** Inserts a new grant inside the caller's transaction. Its expiry is set when tokens are issued. */
  async create(em: EntityManager, spec: GrantSpec, now: Date): Promise<OAuthGrant> {
    const g = new OAuthGrant();
    g.id = randomUUID();
    g.clientId = spec.clientId;
    g.userId = spec.owner?.id ?? null;
    g.userIdentifier = spec.owner?.identifier ?? null;
    g.grantType = spec.origin;
    g.scopes = spec.scopes;
    g.redirectUri = spec.redirectUri ?? null;
    g.accessTtlSeconds = spec.accessTtlSeconds;
    g.expiresAt = now;
    g.endsAt = spec.endsAt ?? null;
    g.revokedAt = null;
    g.revokedReason = null;
    g.createdAt = now;
    await this.grants.insert(em, g);
    return g;
  }

  /**
   * Revokes grants and all their tokens inside the caller's transaction; returns the ids that were live.
   * The caller must {@link publishRevoked} them after the transaction commits.
   */
  async revokeInTransaction(em: EntityManager, grantIds: string[], reason: RevocationReason, now: Date): Promise<string[]> {
    const revoked = await this.grants.revoke(em, grantIds, reason, now);
    await this.tokens.revokeAllOfGrants(em, grantIds, now);
    if (revoked.length > 0) logger.info({ grants: revoked, reason }, 'oauth grants revoked');
    return revoked;
  }

  /** Revokes grants in their own transaction and drops their tokens from every instance's cache. */
  async revoke(grantIds: string[], reason: RevocationReason): Promise<string[]> {
    const now = this.clock.now();
    const revoked = await this.db.transaction((em) => this.revokeInTransaction(em, grantIds, reason, now));
    await this.publishRevoked(grantIds);
    return revoked;
  }

  /** Tells every instance to forget the cached tokens and status of these grants (after commit). */
  async publishRevoked(grantIds: readonly string[]): Promise<void> {
    for (const id of grantIds) await this.bus.publish(OAUTH_GRANT_TOPIC, id);
  }

  /** The apps holding live grants from this user, one entry per app. */
  async connectedApps(owner: ResourceOwner): Promise<ConnectedApp[]> {
    const rows = await this.grants.listLiveForUser(owner.id, this.clock.now());
    const apps = new Map<string, { app: ConnectedApp; scopes: Set<string>; spendingGrant?: string }>();
    for (const r of rows) {
      let entry = apps.get(r.clientId);
      if (!entry) {
        entry = {
          app: {
            id: r.clientId,
            name: r.clientName,
            imageUrl: r.clientImageUrl,
            url: r.clientUrl,
            domain: hostOf(r.redirectUri ?? r.clientDomain),
            scopes: {},
            createdAt: r.createdAt.toISOString(),
          },
          scopes: new Set(),
        };
        apps.set(r.clientId, entry);
      }
      for (const s of r.scopes) entry.scopes.add(s);
      if (r.scopes.includes(SPENDING_SCOPE)) entry.spendingGrant = r.grantId; // rows are oldest first: the newest wins
    }
    const spending = [...apps.values()].flatMap((e) => (e.spendingGrant ? [e.spendingGrant] : []));
    const views = await this.budgets.views(spending);
    return [...apps.values()].map(({ app, scopes, spendingGrant }) => {
      const out: ConnectedApp = { ...app, scopes: this.scopes.describeAll(scopes) };
      const budget = spendingGrant ? views.get(spendingGrant) : undefined;
      if (budget) out.budget = budget;
      return out;
    });
  }

  /** The user's change through the API: the renewal stays unless given. */
  async changeAppBudget(owner: ResourceOwner, clientId: string, maxAmountSat: number | null, renewal?: BudgetLimit['renewal']): Promise<ConnectedApp> {
    const current = (await this.connectedApps(owner)).find((a) => a.id === clientId)?.budget;
    if (!current) throw new NoGrantForClient();
    return this.setAppBudget(owner, clientId, { maxAmountSat, renewal: renewal ?? current.budget_renewal });
  }

  /**
   * The user changes the budget of every live grant they gave this app that may send payments. 404 when
   * there is none. Returns the app as `GET /clients` now shows it.
   */
  async setAppBudget(owner: ResourceOwner, clientId: string, limit: BudgetLimit): Promise<ConnectedApp> {
    const rows = (await this.grants.listLiveForUser(owner.id, this.clock.now())).filter((r) => r.clientId === clientId && r.scopes.includes(SPENDING_SCOPE));
    if (rows.length === 0) throw new NoGrantForClient();
    for (const r of rows) await this.budgets.setLimit(r.grantId, limit);
    return (await this.connectedApps(owner)).find((a) => a.id === clientId)!;
  }

  /**
   * Revokes every grant the user gave this app and drops the codes it was issued but has not exchanged yet, so
   * a code from before the disconnect cannot mint tokens after it. 404 when there was neither; returns how many
   * grants were revoked. Codes go first: a concurrent exchange finishes before, and its grant is revoked too.
   */
  async disconnect(owner: ResourceOwner, clientId: string): Promise<{ clientId: string; revokedGrants: number }> {
    const now = this.clock.now();
    const { revoked, codes } = await this.db.transaction(async (em) => {
      const codes = await this.codes.deleteUnconsumed(em, owner.id, clientId);
      const ids = await this.grants.idsForUserAndClient(em, owner.id, clientId);
      return { revoked: await this.revokeInTransaction(em, ids, 'user', now), codes };
    });
    if (revoked.length === 0 && codes === 0) throw new NoGrantForClient();
    await this.publishRevoked(revoked);
    return { clientId, revokedGrants: revoked.length };
  }

  /**
   * Cuts a user off from every app (a disabled account): unexchanged codes are dropped and every grant with
   * all its tokens revoked, on every instance. Idempotent; returns the grants that were live.
   */
  async revokeAllOfUser(userId: string, reason: RevocationReason): Promise<string[]> {
    const now = this.clock.now();
    const revoked = await this.db.transaction(async (em) => {
      await this.codes.deleteUnconsumed(em, userId);
      return this.revokeInTransaction(em, await this.grants.idsForUser(em, userId), reason, now);
    });
    await this.publishRevoked(revoked);
    return revoked;
  }
}

function hostOf(uri: string): string {
  try {
    return new URL(uri).host;
  } catch {
    return uri;
  }
}
