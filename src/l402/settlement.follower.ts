import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { logger } from '../common/logger';
import { LIGHTNING } from '../lightning/lightning.module';
import type { LightningService } from '../lightning/lightning.service';
import type { SettlementSubscriptionHandle } from '../lightning/settlement.subscription';
import { InvoiceLedger } from './invoice.ledger';
import { InvoiceRepository } from './invoice.repository';
import { SETTLEMENT_CURSOR } from './l402.constants';

/** How many open invoices are checked with the node when no cursor exists yet. */
const RECONCILE_LIMIT = 1000;

/**
 * Keeps `l402_invoices` current from the merchant node's settlement stream, resuming from the persisted
 * settle index, so settlements that happened while satgate was down are applied on start and nothing is
 * applied twice. Before the first settlement was ever seen there is no cursor (LND sends no backlog for
 * index 0), so on such a start the still-open invoices are checked with the node once instead.
 */
@Injectable()
export class SettlementFollower implements OnApplicationBootstrap, BeforeApplicationShutdown {
  /** The settle index the stream was resumed from at boot (undefined when no node is configured). */
  resumedFrom?: number;
  /** Settlements applied since boot (replays after a restart would show up here). */
  applied = 0;
  private handle?: SettlementSubscriptionHandle;
  private readonly inFlight = new Set<Promise<unknown>>();
  private lastError?: string;

  constructor(
    @Inject(LIGHTNING) private readonly lightning: LightningService | null,
    private readonly invoices: InvoiceRepository,
    private readonly ledger: InvoiceLedger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.lightning) return;
    const from = await this.invoices.cursor(SETTLEMENT_CURSOR);
    this.resumedFrom = from;
    this.handle = this.lightning.subscribeSettlements({
      fromSettleIndex: from,
      // A failure (logged by track()) rejects, so the subscription retries this settlement with backoff before
      // taking later ones; the persisted cursor only moves with a successful apply.
      onSettled: (event) => this.track(this.ledger.applySettlement(event).then(() => void (this.applied += 1))),
      onError: (err) => {
        // The subscription reconnects by itself; say so once per distinct failure, not every retry.
        if (err.message === this.lastError) return;
        this.lastError = err.message;
        logger.warn({ err: err.message }, 'L402 settlement stream interrupted; resuming');
      },
    });
    if (from === 0) void this.track(this.reconcileOpen());
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.handle?.stop();
    this.handle = undefined;
    await Promise.allSettled([...this.inFlight]);
  }

  private async reconcileOpen(): Promise<void> {
    const open = await this.invoices.findOpenSince(new Date(), RECONCILE_LIMIT);
    for (const invoice of open) {
      if ((await this.ledger.refreshFromNode(invoice.paymentHash)) === undefined) return; // node unreachable
    }
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const done = () => this.inFlight.delete(work);
    work.then(done, (err: unknown) => {
      done();
      logger.error({ err: (err as Error)?.message }, 'applying an L402 settlement failed');
    });
    return work;
  }
}
