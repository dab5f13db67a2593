import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { logger } from '../common/logger';
import { APP_CONFIG } from '../config/config.module';
import type { RuntimeConfig } from '../config/config.types';
import {
  BudgetExceeded,
  type BudgetLimit,
  type BudgetPolicy,
  budgetView,
  type BudgetView,
  feeReserveFor,
  periodAt,
  type Spend,
} from '../core/budget';
import { CLOCK } from '../common/clock.module';
import type { Clock } from '../core/clock';
import { BudgetsRepository, type ReservationRecord } from './budgets.repository';

/** The scope whose grants carry a budget. */
export const SPENDING_SCOPE = 'payments:send';

/** A payment reserved against a budget, to be settled or released when its outcome is known. */
export interface Reservation {
  id: string;
  grantId: string;
  amountSat: number;
  feeReserveSat: number;
  /** The budget right after this reservation (what the app is told in the response headers). */
  budget: BudgetView;
}

/** What the origin (or the node) says a payment really cost. */
export interface PaymentCost {
  amountSat?: number;
  feeSat?: number;
}

/** A budget change that cannot be made (unlimited where the operator does not allow it). 400. */
export class BudgetNotAllowed extends Error {
  readonly status = 400;
  constructor(readonly description: string) {
    super(description);
    this.name = 'BudgetNotAllowed';
  }
  toBody(): Record<string, unknown> {
    return { error: 'invalid_request', error_description: this.description, field: 'max_amount_sat' };
  }
}

/**
 * Spending budgets of `payments:send` grants: the operator's policy, the budget each grant holds, and the
 * ledger of payments reserved against it. A payment is reserved (amount + fee reserve) atomically in
 * Postgres before the gateway forwards it — under the budget row's lock, with a conditional insert — so any
 * number of concurrent payments on any number of instances never together exceed the maximum; it is then
 * settled at its real cost, released when nothing was paid, or left pending for the reconciler when the
 * outcome is unknown. Nothing is cached: a budget change holds for the very next payment on every instance.
 */
@Injectable()
export class BudgetsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: BudgetsRepository,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The operator's rules, for the authorization endpoint. */
  get policy(): BudgetPolicy {
    return { defaultLimit: this.config.budget.defaultLimit, allowUnlimited: this.config.budget.allowUnlimited };
  }

  /** The time zone budget periods follow. */
  get timeZone(): string {
    return this.config.budget.timeZone;
  }

  /** Records a new grant's budget inside the transaction that creates it. */
  async attach(em: EntityManager, grantId: string, limit: BudgetLimit): Promise<void> {
    await this.repo.upsert(em, grantId, limit, this.clock.now());
  }

  /** The grant's budget and usage now, or undefined when it has none. */
  async view(grantId: string): Promise<BudgetView | undefined> {
    const limit = await this.repo.find(grantId);
    if (!limit) return undefined;
    const now = this.clock.now();
    const { start } = periodAt(limit.renewal, now, this.timeZone);
    return budgetView(limit, await this.repo.usedSince(grantId, start), now, this.timeZone);
  }

  /** Views of several grants (the user's apps, the admin list). */
  async views(grantIds: readonly string[]): Promise<Map<string, BudgetView>> {
    const limits = await this.repo.findMany(grantIds);
    const now = this.clock.now();
    const out = new Map<string, BudgetView>();
    for (const [grantId, limit] of limits) {
      const { start } = periodAt(limit.renewal, now, this.timeZone);
      out.set(grantId, budgetView(limit, await this.repo.usedSince(grantId, start), now, this.timeZone));
    }
    return out;
  }

  /**
   * Sets, lowers or raises a grant's budget (the user or the operator); `maxAmountSat: null` removes the limit,
   * only where the operator allows unlimited grants. Returns the new view.
   */
  async setLimit(grantId: string, limit: BudgetLimit): Promise<BudgetView> {
    if (limit.maxAmountSat === null && !this.config.budget.allowUnlimited) {
      throw new BudgetNotAllowed('this server does not allow payments:send without a budget (BUDGET_ALLOW_UNLIMITED)');
    }
    await this.repo.upsert(this.db, grantId, limit, this.clock.now());
    logger.info({ grantId, maxAmountSat: limit.maxAmountSat, renewal: limit.renewal }, 'budget changed');
    return (await this.view(grantId))!;
  }

  /**
   * Reserves `spend` plus the fee reserve against the grant's budget in the current period, or throws
   * BudgetExceeded (nothing reserved). A grant that could spend before budgets existed gets the default one.
   */
  async reserve(grantId: string, route: string, spend: Spend): Promise<Reservation> {
    const now = this.clock.now();
    const feeReserveSat = feeReserveFor(spend.amountSat, this.config.budget.feeReserve);
    const id = randomUUID();
    const outcome = await this.db.transaction(async (em) => {
      let limit = await this.repo.lock(em, grantId);
      if (!limit) {
        await this.repo.insertIfMissing(em, grantId, this.config.budget.defaultLimit, now);
        limit = (await this.repo.lock(em, grantId))!;
      }
      const { start } = periodAt(limit.renewal, now, this.timeZone);
      const spec = { id, grantId, route, paymentHash: spend.paymentHash ?? null, amountSat: spend.amountSat, feeReserveSat, createdAt: now };
      const result = await this.repo.reserveIfFits(em, spec, start, limit.maxAmountSat);
      return { limit, ...result };
    });
    const need = spend.amountSat + feeReserveSat;
    if (!outcome.reserved) {
      logger.info({ grantId, route, need, used: outcome.usedSat, max: outcome.limit.maxAmountSat }, 'payment refused: budget exceeded');
      throw new BudgetExceeded(budgetView(outcome.limit, outcome.usedSat, now, this.timeZone), need);
    }
    return {
      id,
      grantId,
      amountSat: spend.amountSat,
      feeReserveSat,
      budget: budgetView(outcome.limit, outcome.usedSat + need, now, this.timeZone),
    };
  }

  /** The payment happened: count its real amount and fee (the reserve stands in for what was not reported). */
  async settle(r: Pick<Reservation, 'id' | 'amountSat' | 'feeReserveSat'>, cost: PaymentCost, note: string): Promise<boolean> {
    return this.repo.settle(r.id, cost.amountSat ?? r.amountSat, cost.feeSat ?? r.feeReserveSat, note, this.clock.now());
  }

  /** Nothing was paid: the reservation stops counting. */
  async release(reservationId: string, note: string): Promise<boolean> {
    return this.repo.release(reservationId, note, this.clock.now());
  }

  /** The payment may or may not have happened: it keeps counting until the reconciler learns its outcome. */
  async keepPending(reservationId: string, note: string, paymentHash?: string): Promise<void> {
    await this.repo.markUnknown(reservationId, note, paymentHash ?? null);
  }

  /** A grant's reservations, newest first. */
  reservationsOf(grantId: string, limit = 50): Promise<ReservationRecord[]> {
    return this.repo.reservationsOf(grantId, limit);
  }
}
