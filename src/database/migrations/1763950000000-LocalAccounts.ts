import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Local accounts: resource owners who sign in on satgate's own page. Passwords are stored only as
 * salted scrypt hashes in PHC string form; usernames are unique and lowercase.
 */
export class LocalAccounts1763950000000 implements MigrationInterface {
  name = 'LocalAccounts1763950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE local_accounts (
        id                  uuid PRIMARY KEY,
        username            varchar(64) NOT NULL UNIQUE,
        password_hash       text NOT NULL,
        disabled_at         timestamptz,
        password_changed_at timestamptz NOT NULL,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT local_accounts_username_lowercase CHECK (username = lower(username))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE local_accounts');
  }
}
