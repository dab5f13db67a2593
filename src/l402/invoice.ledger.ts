import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { logger } from '../common/logger';
import { LightningError } from '../lightning/lightning.errors';
import { LIGHTNING } from '../lightning/lightning.module';
import type { LightningService } from '../lightning/lightning.service';
import type { SettlementEvent } from '../lightning/settlement.subscription';
import { InvoiceRepository } from './invoice.repository';
import { L402_DEFAULTS, SETTLEMENT_CURSOR } from './l402.constants';

/**
 * What satgate knows about its challenges' invoices: applies LND's settlements (invoice row and stream
 * cursor in one transaction, so a crash between them cannot skip or repeat one) and answers strict mode's
 * "is this paid?" — from memory once known (settled is final), else the table, else the node itself, so a
 * gap in the settlement stream can delay but never wrongly refuse a paid token.
 */
@Injectable()
export class InvoiceLedger {
  private readonly settled = new Set<string>();

  constructor(
    private readonly invoices: InvoiceRepository,
    private readonly dataSource: DataSource,
    @Inject(LIGHTNING) private readonly lightning: LightningService | null,
  ) {}

  /** Applies one event of the settlement stream and moves the persisted cursor past it. */
  async applySettlement(event: SettlementEvent): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.invoices.markSettled(event, manager);
      await this.invoices.advanceCursor(SETTLEMENT_CURSOR, event.settleIndex, manager);
    });
    this.remember(event.paymentHash);
  }

  /**
   * Asks the node about one invoice and records a settlement it reports. Returns the node's verdict, or
   * undefined when the node cannot be asked (not configured, unreachable).
   */
  async refreshFromNode(paymentHash: string): Promise<'settled' | 'open' | 'canceled' | 'unknown' | undefined> {
    if (!this.lightning) return undefined;
    let status;
    try {
      status = await this.lightning.getInvoice(paymentHash);
    } catch (err) {
      if (err instanceof LightningError) {
        logger.warn({ err: err.message }, 'could not look up an L402 invoice on the node');
        return undefined;
      }
      throw err;
    }
    if (!status) return 'unknown';
    if (status.isConfirmed) {
      await this.invoices.markSettled({ paymentHash, settledAt: status.settledAt ?? new Date(), settleIndex: status.settleIndex });
      this.remember(paymentHash);
      return 'settled';
    }
    return status.state === 'canceled' ? 'canceled' : 'open';
  }

  /** Strict mode's check; synchronous once the hash is known settled (the hot path then does no I/O). */
  isSettled(paymentHash: string): boolean | Promise<boolean> {
    if (this.settled.has(paymentHash)) return true;
    return this.lookUp(paymentHash);
  }

  private async lookUp(paymentHash: string): Promise<boolean> {
    const row = await this.invoices.findByPaymentHash(paymentHash);
    if (row?.state === 'settled') {
      this.remember(paymentHash);
      return true;
    }
    return (await this.refreshFromNode(paymentHash)) === 'settled';
  }

  private remember(paymentHash: string): void {
    if (this.settled.size >= L402_DEFAULTS.settledCacheSize) {
      const oldest = this.settled.values().next().value;
      if (oldest !== undefined) this.settled.delete(oldest);
    }
    this.settled.add(paymentHash);
  }
}
