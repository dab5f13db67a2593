import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The L402 paywall's tables.
 *
 * - `l402_root_keys`: one row per minted token, keyed by sha256(identifier) as aperture's secret store is, so
 *   a presented macaroon finds its key with one primary-key lookup. Revoking erases `root_key` (the token can
 *   never verify again, even if the row were un-revoked) and records `revoked_at`.
 * - `l402_invoices`: the invoice behind each challenge (what the admin lists as transactions), kept current
 *   from LND's settlement stream; unpaid ones are purged with their root keys after expiry plus a grace.
 * - `l402_settlement_cursor`: the last LND settle_index applied, so a restart resumes the stream exactly
 *   where it stopped instead of replaying (or missing) settlements.
 */
export class L402Paywall1763850000000 implements MigrationInterface {
  name = 'L402Paywall1763850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE l402_root_keys (
        id_hash      char(64) PRIMARY KEY,
        root_key     bytea,
        payment_hash char(64) NOT NULL,
        token_id     char(64) NOT NULL UNIQUE,
        service      varchar(64) NOT NULL,
        tier         smallint NOT NULL DEFAULT 0,
        caveats      jsonb NOT NULL DEFAULT '[]'::jsonb,
        valid_until  timestamptz,
        oauth_grant  varchar(128),
        created_at   timestamptz NOT NULL DEFAULT now(),
        revoked_at   timestamptz,
        CONSTRAINT l402_root_keys_key_unless_revoked CHECK (revoked_at IS NOT NULL OR root_key IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX l402_root_keys_payment_hash_idx ON l402_root_keys (payment_hash)`);
    await q.query(`CREATE INDEX l402_root_keys_created_idx ON l402_root_keys (created_at DESC, token_id)`);
    await q.query(`
      CREATE TABLE l402_invoices (
        payment_hash    char(64) PRIMARY KEY,
        payment_request text NOT NULL,
        amount_sats     bigint NOT NULL,
        service         varchar(64) NOT NULL,
        resource        varchar(300) NOT NULL DEFAULT '',
        state           varchar(16) NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'settled', 'canceled')),
        created_at      timestamptz NOT NULL DEFAULT now(),
        expires_at      timestamptz NOT NULL,
        settled_at      timestamptz,
        settle_index    bigint
      )`);
    await q.query(`CREATE INDEX l402_invoices_open_expiry_idx ON l402_invoices (expires_at) WHERE state = 'open'`);
    await q.query(`CREATE INDEX l402_invoices_created_idx ON l402_invoices (created_at DESC, payment_hash)`);
    await q.query(`
      CREATE TABLE l402_settlement_cursor (
        name         varchar(32) PRIMARY KEY,
        settle_index bigint NOT NULL,
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE l402_settlement_cursor');
    await q.query('DROP TABLE l402_invoices');
    await q.query('DROP TABLE l402_root_keys');
  }
}
