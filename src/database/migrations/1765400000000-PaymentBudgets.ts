import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Spending budgets of `payments:send` grants (Alby Hub's app-permission model) and the payments reserved
 * against them.
 *
 * - `payment_budgets`: one row per grant that may spend: the maximum per period (NULL = unlimited, only where
 *   the operator allows it) and the renewal. Reserving a payment row-locks it, so concurrent payments of one
 *   grant are decided one after the other and never together exceed the maximum.
 * - `payment_reservations`: every payment forwarded under a budget. `pending` counts amount + fee reserve,
 *   `settled` amount + the real fee, `released` nothing (the origin said nothing was paid). A reservation
 *   belongs to the period it was made in (`created_at`). Pending rows whose outcome is unknown are looked up
 *   on the node by `payment_hash`.
 * - the authorization code carries the budget the user approved to the grant it becomes; `ends_at` is the
 *   grant's own end (`expires_at` at /oauth/authorize): no token of the grant outlives it.
 */
export class PaymentBudgets1765400000000 implements MigrationInterface {
  name = 'PaymentBudgets1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE oauth_authorization_codes ADD COLUMN budget jsonb, ADD COLUMN ends_at timestamptz`);
    await q.query(`ALTER TABLE oauth_grants ADD COLUMN ends_at timestamptz`);
    await q.query(`
      CREATE TABLE payment_budgets (
        grant_id       uuid PRIMARY KEY REFERENCES oauth_grants(id) ON DELETE CASCADE,
        max_amount_sat bigint CHECK (max_amount_sat IS NULL OR max_amount_sat > 0),
        renewal        varchar(8) NOT NULL CHECK (renewal IN ('daily', 'weekly', 'monthly', 'yearly', 'never')),
        updated_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE payment_reservations (
        id              uuid PRIMARY KEY,
        grant_id        uuid NOT NULL REFERENCES payment_budgets(grant_id) ON DELETE CASCADE,
        route           varchar(64) NOT NULL,
        payment_hash    char(64),
        amount_sat      bigint NOT NULL CHECK (amount_sat >= 0),
        fee_reserve_sat bigint NOT NULL CHECK (fee_reserve_sat >= 0),
        fee_sat         bigint CHECK (fee_sat >= 0),
        state           varchar(8) NOT NULL CHECK (state IN ('pending', 'settled', 'released')),
        outcome_unknown boolean NOT NULL DEFAULT false,
        note            varchar(200),
        created_at      timestamptz NOT NULL,
        resolved_at     timestamptz,
        CONSTRAINT payment_reservations_fee_iff_settled CHECK ((state = 'settled') = (fee_sat IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX payment_reservations_usage_idx ON payment_reservations (grant_id, created_at) WHERE state <> 'released'`);
    await q.query(`CREATE INDEX payment_reservations_pending_idx ON payment_reservations (created_at) WHERE state = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE payment_reservations');
    await q.query('DROP TABLE payment_budgets');
    await q.query('ALTER TABLE oauth_grants DROP COLUMN ends_at');
    await q.query('ALTER TABLE oauth_authorization_codes DROP COLUMN budget, DROP COLUMN ends_at');
  }
}
