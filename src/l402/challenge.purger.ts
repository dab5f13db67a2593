import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { logger } from '../common/logger';
import { PeriodicJob } from '../common/periodic-job';
import type { Clock } from '../core/l402';
import { InvoiceLedger } from './invoice.ledger';
import { InvoiceRepository } from './invoice.repository';
import { L402_DEFAULTS } from './l402.constants';
import { RootKeyRepository } from './root-key.repository';
import { CachedRootKeyStore } from './root-key.store';
import { CLOCK } from '../common/clock.module';

/** What one purge round did. */
export interface PurgeResult {
  /** Unpaid challenges removed (invoice row and root key). */
  purged: number;
  /** Candidates the node reported settled after all (a missed settlement): recorded, kept. */
  settled: number;
}

/**
 * Removes unpaid challenges once their invoice has expired plus a grace period: a client can no longer
 * pay them, so their root keys and invoice rows are dead weight (and an attacker's 402 requests would
 * otherwise grow the tables forever). Each candidate is confirmed unpaid with the node first, so a
 * settlement the stream missed can never cost a paying client their token; while the node cannot be asked,
 * nothing is deleted.
 */
@Injectable()
export class ChallengePurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly job = new PeriodicJob('l402-purge', L402_DEFAULTS.purgeIntervalMs, () => this.purgeExpired());

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly invoices: InvoiceRepository,
    private readonly rootKeys: RootKeyRepository,
    private readonly store: CachedRootKeyStore,
    private readonly ledger: InvoiceLedger,
    private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /**
   * One purge round as of `now` (the L402 clock by default): batch after batch until no expired open
   * invoice is left, so a round clears whatever accumulated since the last one (however fast challenges
   * were issued), or until the node cannot be asked or the app shuts down.
   */
  async purgeExpired(now: Date = this.clock.now()): Promise<PurgeResult> {
    const cutoff = new Date(now.getTime() - L402_DEFAULTS.purgeGraceSeconds * 1000);
    const total: PurgeResult = { purged: 0, settled: 0 };
    for (;;) {
      const batch = await this.purgeBatch(cutoff, L402_DEFAULTS.purgeBatch);
      total.purged += batch.purged;
      total.settled += batch.settled;
      // A short batch was the last one; an interrupted one (node unreachable) waits for the next round.
      if (batch.candidates < L402_DEFAULTS.purgeBatch || batch.interrupted || this.job.stopping) break;
    }
    if (total.purged > 0) logger.info({ purged: total.purged }, 'purged unpaid L402 challenges');
    return total;
  }

  /** Confirms up to `limit` candidates with the node (a few at a time) and deletes the unpaid ones. */
  private async purgeBatch(cutoff: Date, limit: number): Promise<PurgeResult & { candidates: number; interrupted: boolean }> {
    const candidates = await this.invoices.findExpiredOpen(cutoff, limit);
    const unpaid: string[] = [];
    let settled = 0;
    let interrupted = false;
    for (let i = 0; i < candidates.length && !interrupted; i += L402_DEFAULTS.purgeLookupConcurrency) {
      const chunk = candidates.slice(i, i + L402_DEFAULTS.purgeLookupConcurrency);
      const verdicts = await Promise.all(chunk.map((invoice) => this.ledger.refreshFromNode(invoice.paymentHash)));
      verdicts.forEach((verdict, j) => {
        // Node not reachable: delete only what was confirmed unpaid.
        if (verdict === undefined) interrupted = true;
        else if (verdict === 'settled') settled += 1;
        else unpaid.push(chunk[j].paymentHash);
      });
    }
    if (unpaid.length === 0) return { purged: 0, settled, candidates: candidates.length, interrupted };
    const idHashes = await this.dataSource.transaction(async (manager) => {
      const keys = await this.rootKeys.deleteByPaymentHashes(unpaid, manager);
      await this.invoices.deleteOpen(unpaid, manager);
      return keys;
    });
    for (const idHash of idHashes) await this.store.invalidate(idHash);
    return { purged: unpaid.length, settled, candidates: candidates.length, interrupted };
  }
}
