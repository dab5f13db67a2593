import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { BudgetLimit, BudgetRenewal } from '../core/budget';
import { rowsOf } from '../database/sql.rows';

/** A reservation as stored. */
export interface ReservationRecord {
  id: string;
  grantId: string;
  route: string;
  paymentHash: string | null;
  amountSat: number;
  feeReserveSat: number;
  feeSat: number | null;
  state: 'pending' | 'settled' | 'released';
  outcomeUnknown: boolean;
  note: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
}

/** What to reserve. */
export interface ReservationSpec {
  id: string;
  grantId: string;
  route: string;
  paymentHash: string | null;
  amountSat: number;
  feeReserveSat: number;
  createdAt: Date;
}

/**
 * What one payment counts while it is pending (amount + fee reserve) and once settled (amount + real fee);
 * released payments count nothing. One SQL expression, so usage is computed the same way everywhere.
 */
const COUNTED = `CASE WHEN r.state = 'settled' THEN r.amount_sat + r.fee_sat ELSE r.amount_sat + r.fee_reserve_sat END`;

/** Named queries over `payment_budgets` and `payment_reservations`. */
@Injectable()
export class BudgetsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Sets a grant's budget (inside the caller's transaction when `em` is given). */
  async upsert(em: EntityManager | DataSource, grantId: string, limit: BudgetLimit, at: Date): Promise<void> {
    await em.query(
      `INSERT INTO payment_budgets (grant_id, max_amount_sat, renewal, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (grant_id) DO UPDATE SET max_amount_sat = EXCLUDED.max_amount_sat, renewal = EXCLUDED.renewal, updated_at = EXCLUDED.updated_at`,
      [grantId, limit.maxAmountSat, limit.renewal, at],
    );
  }

  /** Gives a grant `limit` unless it already has a budget (grants that could spend before budgets existed). */
  async insertIfMissing(em: EntityManager, grantId: string, limit: BudgetLimit, at: Date): Promise<void> {
    await em.query(
      `INSERT INTO payment_budgets (grant_id, max_amount_sat, renewal, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (grant_id) DO NOTHING`,
      [grantId, limit.maxAmountSat, limit.renewal, at],
    );
  }

  /**
   * The grant's budget row, locked until the transaction ends: every reservation of one grant goes through
   * this lock, so two payments are decided one after the other, the second seeing the first's reservation
   * (READ COMMITTED takes a fresh snapshot per statement, after the lock is granted).
   */
  async lock(em: EntityManager, grantId: string): Promise<BudgetLimit | undefined> {
    const rows = rowsOf<{ max_amount_sat: string | null; renewal: BudgetRenewal }>(
      await em.query('SELECT max_amount_sat, renewal FROM payment_budgets WHERE grant_id = $1 FOR UPDATE', [grantId]),
    );
    return rows[0] ? limitOf(rows[0]) : undefined;
  }

  /**
   * Inserts the reservation only if usage since `periodStart` plus `need` stays within `max` (NULL: no limit),
   * in one statement. Call under {@link lock}. Returns whether it was inserted and the usage before it.
   */
  async reserveIfFits(em: EntityManager, spec: ReservationSpec, periodStart: Date | null, max: number | null): Promise<{ reserved: boolean; usedSat: number }> {
    const rows = rowsOf<{ used: string; inserted: boolean }>(
      await em.query(
        `WITH used AS (
           SELECT COALESCE(SUM(${COUNTED}), 0)::bigint AS used FROM payment_reservations r
            WHERE r.grant_id = $2::uuid AND r.state <> 'released' AND ($8::timestamptz IS NULL OR r.created_at >= $8)
         ), ins AS (
           INSERT INTO payment_reservations (id, grant_id, route, payment_hash, amount_sat, fee_reserve_sat, state, created_at)
           SELECT $1::uuid, $2::uuid, $3, $4, $5::bigint, $6::bigint, 'pending', $7::timestamptz FROM used
            WHERE $9::bigint IS NULL OR used.used + $5::bigint + $6::bigint <= $9::bigint
           RETURNING id
         )
         SELECT used.used, EXISTS (SELECT 1 FROM ins) AS inserted FROM used`,
        [spec.id, spec.grantId, spec.route, spec.paymentHash, spec.amountSat, spec.feeReserveSat, spec.createdAt, periodStart, max],
      ),
    );
    return { reserved: rows[0].inserted, usedSat: Number(rows[0].used) };
  }

  /** The grant's budget, unlocked, or undefined when it has none. */
  async find(grantId: string): Promise<BudgetLimit | undefined> {
    const rows = rowsOf<{ max_amount_sat: string | null; renewal: BudgetRenewal }>(
      await this.db.query('SELECT max_amount_sat, renewal FROM payment_budgets WHERE grant_id = $1', [grantId]),
    );
    return rows[0] ? limitOf(rows[0]) : undefined;
  }

  /** Sats counted against the grant since `periodStart` (NULL: ever). */
  async usedSince(grantId: string, periodStart: Date | null): Promise<number> {
    const rows = rowsOf<{ used: string }>(
      await this.db.query(
        `SELECT COALESCE(SUM(${COUNTED}), 0)::bigint AS used FROM payment_reservations r
          WHERE r.grant_id = $1 AND r.state <> 'released' AND ($2::timestamptz IS NULL OR r.created_at >= $2)`,
        [grantId, periodStart],
      ),
    );
    return Number(rows[0].used);
  }

  /** Budgets of several grants at once (lists), keyed by grant id. */
  async findMany(grantIds: readonly string[]): Promise<Map<string, BudgetLimit>> {
    if (grantIds.length === 0) return new Map();
    const rows = rowsOf<{ grant_id: string; max_amount_sat: string | null; renewal: BudgetRenewal }>(
      await this.db.query('SELECT grant_id, max_amount_sat, renewal FROM payment_budgets WHERE grant_id = ANY($1::uuid[])', [grantIds]),
    );
    return new Map(rows.map((r) => [r.grant_id, limitOf(r)]));
  }

  /** pending -> settled at the amount and fee the origin or the node reported; false when it was not pending. */
  async settle(id: string, amountSat: number, feeSat: number, note: string, at: Date): Promise<boolean> {
    const raw = await this.db.query(
      `UPDATE payment_reservations SET state = 'settled', amount_sat = $2, fee_sat = $3, note = $4, resolved_at = $5, outcome_unknown = false
        WHERE id = $1 AND state = 'pending' RETURNING id`,
      [id, amountSat, feeSat, note.slice(0, 200), at],
    );
    return rowsOf(raw).length === 1;
  }

  /** pending -> released (nothing was paid); false when it was not pending. */
  async release(id: string, note: string, at: Date): Promise<boolean> {
    const raw = await this.db.query(
      `UPDATE payment_reservations SET state = 'released', note = $2, resolved_at = $3, outcome_unknown = false
        WHERE id = $1 AND state = 'pending' RETURNING id`,
      [id, note.slice(0, 200), at],
    );
    return rowsOf(raw).length === 1;
  }

  /** The payment may have happened but satgate does not know: keep it counted, let the reconciler look. */
  async markUnknown(id: string, note: string, paymentHash: string | null): Promise<void> {
    await this.db.query(
      `UPDATE payment_reservations SET outcome_unknown = true, note = $2, payment_hash = COALESCE(payment_hash, $3)
        WHERE id = $1 AND state = 'pending'`,
      [id, note.slice(0, 200), paymentHash],
    );
  }

  /** Pending reservations to look up: outcome unknown, or older than `before` (a crash between reserve and settle). */
  async toReconcile(before: Date, limit: number): Promise<ReservationRecord[]> {
    const rows = rowsOf<Record<string, unknown>>(
      await this.db.query(
        `SELECT * FROM payment_reservations WHERE state = 'pending' AND created_at < $1 ORDER BY created_at LIMIT $2`,
        [before, limit],
      ),
    );
    return rows.map(reservationOf);
  }

  async findReservation(id: string): Promise<ReservationRecord | undefined> {
    const rows = rowsOf<Record<string, unknown>>(await this.db.query('SELECT * FROM payment_reservations WHERE id = $1', [id]));
    return rows[0] ? reservationOf(rows[0]) : undefined;
  }

  /** A grant's reservations, newest first (admin view). */
  async reservationsOf(grantId: string, limit: number): Promise<ReservationRecord[]> {
    const rows = rowsOf<Record<string, unknown>>(
      await this.db.query('SELECT * FROM payment_reservations WHERE grant_id = $1 ORDER BY created_at DESC, id LIMIT $2', [grantId, limit]),
    );
    return rows.map(reservationOf);
  }
}

function limitOf(r: { max_amount_sat: string | null; renewal: BudgetRenewal }): BudgetLimit {
  return { maxAmountSat: r.max_amount_sat === null ? null : Number(r.max_amount_sat), renewal: r.renewal };
}

function num(v: unknown): number {
  return Number(v as string);
}

function reservationOf(r: Record<string, unknown>): ReservationRecord {
  return {
    id: r.id as string,
    grantId: r.grant_id as string,
    route: r.route as string,
    paymentHash: (r.payment_hash as string | null) ?? null,
    amountSat: num(r.amount_sat),
    feeReserveSat: num(r.fee_reserve_sat),
    feeSat: r.fee_sat === null ? null : num(r.fee_sat),
    state: r.state as ReservationRecord['state'],
    outcomeUnknown: r.outcome_unknown as boolean,
    note: (r.note as string | null) ?? null,
    createdAt: r.created_at as Date,
    resolvedAt: (r.resolved_at as Date | null) ?? null,
  };
}
