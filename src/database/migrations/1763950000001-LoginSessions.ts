import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Browser sign-in: sessions of local accounts and failed sign-in counters.
 *
 * - `login_sessions` keeps only the SHA-256 of the random session id the cookie carries, so a database leak
 *   gives no usable cookie; a session dies with its account (cascade), at `expires_at`, or at sign-out.
 * - `login_throttle` counts failed sign-ins per key (`account:<username>` or `ip:<address>`) in a fixed
 *   window; it lives in Postgres so every instance behind a load balancer enforces the same limit.
 */
export class LoginSessions1763950000001 implements MigrationInterface {
  name = 'LoginSessions1763950000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE login_sessions (
        id           uuid PRIMARY KEY,
        token_hash   char(64) NOT NULL UNIQUE,
        account_id   uuid NOT NULL REFERENCES local_accounts(id) ON DELETE CASCADE,
        expires_at   timestamptz NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX login_sessions_account_idx ON login_sessions (account_id)`);
    await q.query(`CREATE INDEX login_sessions_expiry_idx ON login_sessions (expires_at)`);
    await q.query(`
      CREATE TABLE login_throttle (
        key               varchar(300) PRIMARY KEY,
        failures          integer NOT NULL,
        window_started_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE login_throttle');
    await q.query('DROP TABLE login_sessions');
  }
}
