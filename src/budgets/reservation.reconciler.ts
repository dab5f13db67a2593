import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { logger } from '../common/logger';
import { PeriodicJob } from '../common/periodic-job';
import { APP_CONFIG } from '../config/config.module';
import type { RuntimeConfig } from '../config/config.types';
import { CLOCK } from '../common/clock.module';
import type { Clock } from '../core/clock';
import { BudgetsRepository } from './budgets.repository';
import { BudgetsService } from './budgets.service';
import { PAYMENT_LOOKUP, type PaymentLookup } from './payment-lookup.port';

/** What one reconciliation run decided. */
export interface ReconcileResult {
  settled: number;
  released: number;
  stillPending: number;
}

/** Reservations looked at per run (the rest wait for the next). */
const BATCH = 200;

/**
 * Resolves reservations whose payment outcome satgate never saw — the origin timed out, the connection was
 * lost, or satgate crashed between reserving and settling — by asking the paying node. Runs at start (a
 * crash leaves pending rows behind) and then periodically, on every instance (settle and release only act on
 * a row still pending, so two instances never count a payment twice).
 *
 * Never refunds a payment that may have happened: a payment the node reports succeeded is settled at the
 * node's amount and fee, a failed one released, one in flight left pending. `unknown` (the node never started
 * it) is released only once the reservation is older than BUDGET_RECONCILE_AFTER_SECONDS, when the origin has
 * long stopped working on it. A reservation without a payment hash (keysend whose answer was lost) cannot be
 * looked up and stays counted until an operator releases it.
 */
@Injectable()
export class ReservationReconciler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly job: PeriodicJob;

  constructor(
    private readonly repo: BudgetsRepository,
    private readonly budgets: BudgetsService,
    @Inject(PAYMENT_LOOKUP) private readonly lookup: PaymentLookup | null,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    const everyMs = Math.min(60_000, Math.max(1000, (config.budget.reconcileAfterSeconds * 1000) / 2));
    this.job = new PeriodicJob('budget-reconcile', everyMs, () => this.reconcileLogged());
  }

  onApplicationBootstrap(): void {
    void this.reconcileLogged().catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'budget reconcile at start failed'));
    this.job.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.job.stop();
  }

  /** One run at the clock's now. */
  async reconcile(): Promise<ReconcileResult> {
    const result: ReconcileResult = { settled: 0, released: 0, stillPending: 0 };
    if (!this.lookup) return result;
    const cutoff = new Date(this.clock.now().getTime() - this.config.budget.reconcileAfterSeconds * 1000);
    for (const r of await this.repo.toReconcile(cutoff, BATCH)) {
      if (!r.paymentHash) {
        result.stillPending++;
        continue;
      }
      const outcome = await this.lookup.paymentOutcome(r.paymentHash);
      if (outcome.status === 'succeeded') {
        const cost: { amountSat?: number; feeSat?: number } = {};
        if (outcome.amountSat !== undefined) cost.amountSat = outcome.amountSat;
        if (outcome.feeSat !== undefined) cost.feeSat = outcome.feeSat;
        if (await this.budgets.settle(r, cost, 'reconciled: the node reports the payment succeeded')) result.settled++;
      } else if (outcome.status === 'failed' || outcome.status === 'unknown') {
        const note = outcome.status === 'failed' ? 'reconciled: the node reports the payment failed' : 'reconciled: the node never started this payment';
        if (await this.budgets.release(r.id, note)) result.released++;
      } else {
        result.stillPending++;
      }
    }
    return result;
  }

  private async reconcileLogged(): Promise<void> {
    const result = await this.reconcile();
    if (result.settled + result.released > 0) logger.info(result, 'budget reservations reconciled');
  }
}
