import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, type EntityManager, type Repository } from 'typeorm';
import { L402Invoice, type L402InvoiceState } from './invoice.entity';
import type { PageQuery } from './root-key.repository';
import { SettlementCursor } from './settlement-cursor.entity';

/** Filters of the invoice listing. */
export interface InvoiceFilter extends PageQuery {
  service?: string;
  state?: L402InvoiceState;
}

/** A settlement as applied to the table. */
export interface SettledFact {
  paymentHash: string;
  settledAt: Date;
  settleIndex?: number;
}

/** Named queries over `l402_invoices` and the settlement cursor. */
@Injectable()
export class InvoiceRepository {
  constructor(
    @InjectRepository(L402Invoice) private readonly repo: Repository<L402Invoice>,
    @InjectRepository(SettlementCursor) private readonly cursors: Repository<SettlementCursor>,
  ) {}

  private on(manager?: EntityManager): Repository<L402Invoice> {
    return manager ? manager.getRepository(L402Invoice) : this.repo;
  }

  /**
   * Records a challenge's invoice. The reconciliation may have recorded it first (as an orphan, when this
   * challenge was slow): the challenge's row then only adds its resource, keeping the state already known.
   */
  async insert(row: L402Invoice, manager?: EntityManager): Promise<void> {
    await this.on(manager).createQueryBuilder().insert().into(L402Invoice).values(row).orUpdate(['resource'], ['payment_hash']).execute();
  }

  /** Inserts the rows whose payment hash is not recorded yet; returns how many were inserted. */
  async insertIfAbsent(rows: L402Invoice[]): Promise<number> {
    if (rows.length === 0) return 0;
    const result = await this.repo.createQueryBuilder().insert().into(L402Invoice).values(rows).orIgnore().returning('payment_hash').execute();
    return Array.isArray(result.raw) ? result.raw.length : 0;
  }

  findByPaymentHash(paymentHash: string): Promise<L402Invoice | null> {
    return this.repo.findOneBy({ paymentHash });
  }

  findByPaymentHashes(paymentHashes: string[]): Promise<L402Invoice[]> {
    if (paymentHashes.length === 0) return Promise.resolve([]);
    return this.repo.findBy({ paymentHash: In(paymentHashes) });
  }

  /** Marks an invoice settled unless it already is (so a replayed event changes nothing); true if it changed. */
  async markSettled(fact: SettledFact, manager?: EntityManager): Promise<boolean> {
    const result = await this.on(manager)
      .createQueryBuilder()
      .update(L402Invoice)
      .set({ state: 'settled', settledAt: fact.settledAt, settleIndex: fact.settleIndex ?? null })
      .where('payment_hash = :hash AND state <> :settled', { hash: fact.paymentHash, settled: 'settled' })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Open invoices that expired before `before`, oldest first: candidates for the purge. */
  findExpiredOpen(before: Date, limit: number): Promise<L402Invoice[]> {
    return this.repo.find({ where: { state: 'open', expiresAt: LessThan(before) }, order: { expiresAt: 'ASC' }, take: limit });
  }

  /** Open invoices not yet expired at `at` (checked against the node when no settle cursor exists). */
  findOpenSince(at: Date, limit: number): Promise<L402Invoice[]> {
    return this.repo
      .createQueryBuilder('i')
      .where('i.state = :open AND i.expiresAt >= :at', { open: 'open', at })
      .orderBy('i.createdAt', 'DESC')
      .limit(limit)
      .getMany();
  }

  async deleteOpen(paymentHashes: string[], manager: EntityManager): Promise<number> {
    if (paymentHashes.length === 0) return 0;
    const result = await this.on(manager).delete({ paymentHash: In(paymentHashes), state: 'open' });
    return result.affected ?? 0;
  }

  /** Newest first; `total` counts every row matching the filter. */
  async list(filter: InvoiceFilter): Promise<{ rows: L402Invoice[]; total: number }> {
    const where: Partial<Pick<L402Invoice, 'service' | 'state'>> = {};
    if (filter.service !== undefined) where.service = filter.service;
    if (filter.state !== undefined) where.state = filter.state;
    const [rows, total] = await this.repo.findAndCount({
      where,
      order: { createdAt: 'DESC', paymentHash: 'ASC' },
      take: filter.limit,
      skip: filter.offset,
    });
    return { rows, total };
  }

  /** The persisted settle index of a stream; 0 when none was ever recorded. */
  async cursor(name: string): Promise<number> {
    const row = await this.cursors.findOneBy({ name });
    return row?.settleIndex ?? 0;
  }

  /** Moves the cursor forward, never back, so an out-of-order or concurrent writer cannot rewind it. */
  async advanceCursor(name: string, settleIndex: number, manager?: EntityManager): Promise<void> {
    const repo = manager ? manager.getRepository(SettlementCursor) : this.cursors;
    await repo.query(
      `INSERT INTO l402_settlement_cursor (name, settle_index, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (name) DO UPDATE
         SET settle_index = GREATEST(l402_settlement_cursor.settle_index, EXCLUDED.settle_index), updated_at = now()`,
      [name, settleIndex],
    );
  }
}
