import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { logger } from '../common/logger';
import { PeriodicJob } from '../common/periodic-job';
import type { Clock } from '../core/l402';
import { LIGHTNING } from '../lightning/lightning.module';
import type { InvoiceStatus, LightningService } from '../lightning/lightning.service';
import { L402Invoice } from './invoice.entity';
import { InvoiceRepository } from './invoice.repository';
import { L402_DEFAULTS } from './l402.constants';
import { CLOCK } from '../common/clock.module';

/** The memo ChallengeIssuer gives every invoice; it tells satgate's invoices from the node's others. */
const MEMO = /^L402 access to (.{1,64}) \(satgate\)$/;

/** What one reconciliation round did. */
export interface ReconcileResult {
  /** satgate invoices the node reported in the window. */
  checked: number;
  /** Of those, the ones missing from the table and now recorded. */
  recorded: number;
}

/**
 * Makes `l402_invoices` hold every invoice satgate had the node create. A challenge creates the invoice on
 * the node first (only the node knows its payment request) and records it right after, before the 402 is
 * answered; when that recording fails (database down, a crash in between, the node answering after the
 * issuing deadline) the node holds an invoice satgate never recorded. Nobody was given such an invoice, but
 * the node and the table must still agree: at start and every `reconcileIntervalMs`, the node's invoices
 * created since the last round are listed and those with satgate's memo that the table lacks are recorded
 * with the node's state (settled ones included, so no payment is ever missing from the table). Recorded
 * orphans have an empty `resource` and no token; the purge removes them after expiry like any unpaid
 * challenge. Recording is idempotent (ON CONFLICT DO NOTHING), so instances sharing a database may all run it.
 */
@Injectable()
export class InvoiceReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly job = new PeriodicJob('l402-reconcile', L402_DEFAULTS.reconcileIntervalMs, () => this.reconcile());
  /** Rows whose recording failed during a challenge: recorded (with their resource) on the next round. */
  private readonly unrecorded = new Map<string, L402Invoice>();
  /** The window already reconciled ends here; the first round covers every invoice that can still be paid. */
  private coveredUntil?: Date;

  constructor(
    @Inject(LIGHTNING) private readonly lightning: LightningService | null,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly invoices: InvoiceRepository,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.lightning) return;
    this.job.start();
    void this.job.runNow();
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** A challenge could not record its invoice: keep the row for the next round (bounded, oldest dropped). */
  noteUnrecorded(row: L402Invoice): void {
    if (this.unrecorded.size >= L402_DEFAULTS.unrecordedInvoicesKept) {
      const oldest = this.unrecorded.keys().next().value;
      if (oldest !== undefined) this.unrecorded.delete(oldest);
    }
    this.unrecorded.set(row.paymentHash, row);
  }

  /**
   * One round: records the rows kept by noteUnrecorded, then lists the node's invoices created since the
   * last round up to `marginMs` ago (younger ones may still be being recorded by their challenge; the first
   * round, at start, has no such challenge and reaches up to now) and records satgate's missing ones. Throws when the node or the database cannot be reached; the window then
   * stays where it was and the next round covers it.
   */
  async reconcile(opts: { marginMs?: number } = {}): Promise<ReconcileResult> {
    if (!this.lightning) return { checked: 0, recorded: 0 };
    const now = this.clock.now();
    const margin = opts.marginMs ?? (this.coveredUntil ? L402_DEFAULTS.reconcileMarginMs : 0);
    const until = new Date(now.getTime() - margin);
    // LND filters on whole seconds: overlap the previous window by one so no second falls between two.
    const from = this.coveredUntil
      ? new Date(this.coveredUntil.getTime() - 1000)
      : new Date(now.getTime() - L402_DEFAULTS.invoiceExpirySeconds * 1000);

    let recorded = 0;
    for (const [hash, row] of [...this.unrecorded]) {
      recorded += await this.invoices.insertIfAbsent([row]);
      this.unrecorded.delete(hash);
    }

    const ours = (await this.lightning.listInvoices({ createdAfter: from, createdBefore: until })).filter(
      (inv) => inv.state !== 'canceled' && MEMO.test(inv.description ?? ''),
    );
    for (let i = 0; i < ours.length; i += L402_DEFAULTS.reconcileBatch) {
      const batch = ours.slice(i, i + L402_DEFAULTS.reconcileBatch);
      const known = new Set((await this.invoices.findByPaymentHashes(batch.map((inv) => inv.paymentHash))).map((r) => r.paymentHash));
      const missing = batch.filter((inv) => !known.has(inv.paymentHash)).map(orphanRow);
      recorded += await this.invoices.insertIfAbsent(missing);
    }
    if (!this.coveredUntil || until > this.coveredUntil) this.coveredUntil = until;
    if (recorded > 0) logger.warn({ recorded }, 'recorded L402 invoices the node held but the table lacked (challenges that failed after issuing)');
    return { checked: ours.length, recorded };
  }
}

/** The row of an invoice the node holds but no challenge recorded: no resource, no token, the node's state. */
function orphanRow(inv: InvoiceStatus): L402Invoice {
  const settled = inv.state === 'settled';
  return Object.assign(new L402Invoice(), {
    paymentHash: inv.paymentHash,
    paymentRequest: inv.paymentRequest ?? '',
    amountSats: inv.sats,
    service: MEMO.exec(inv.description ?? '')?.[1] ?? '',
    resource: '',
    state: settled ? ('settled' as const) : ('open' as const),
    createdAt: inv.createdAt,
    expiresAt: inv.expiresAt,
    settledAt: settled ? (inv.settledAt ?? inv.createdAt) : null,
    settleIndex: settled ? (inv.settleIndex ?? null) : null,
  });
}
