import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the OAuth housekeeping added after review:
 *
 * - the periodic purge (src/oauth/oauth.purger.ts) deletes codes by `expires_at`, and tokens and grants by
 *   `expires_at` or `revoked_at`, every 10 minutes on every instance: without indexes each run scans the
 *   token table, which grows by two rows per refresh;
 * - disconnecting an app or disabling an account deletes the user's unexchanged codes
 *   (`user_id`, `client_id`, `consumed_at IS NULL`).
 */
export class OAuthPurgeIndexes1764100000000 implements MigrationInterface {
  name = 'OAuthPurgeIndexes1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX oauth_codes_expiry_idx ON oauth_authorization_codes (expires_at)');
    await q.query('CREATE INDEX oauth_codes_pending_user_idx ON oauth_authorization_codes (user_id, client_id) WHERE consumed_at IS NULL');
    await q.query('CREATE INDEX oauth_tokens_expiry_idx ON oauth_tokens (expires_at)');
    await q.query('CREATE INDEX oauth_tokens_revoked_idx ON oauth_tokens (revoked_at) WHERE revoked_at IS NOT NULL');
    await q.query('CREATE INDEX oauth_grants_expiry_idx ON oauth_grants (expires_at) WHERE revoked_at IS NULL');
    await q.query('CREATE INDEX oauth_grants_revoked_idx ON oauth_grants (revoked_at) WHERE revoked_at IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const name of [
      'oauth_grants_revoked_idx',
      'oauth_grants_expiry_idx',
      'oauth_tokens_revoked_idx',
      'oauth_tokens_expiry_idx',
      'oauth_codes_pending_user_idx',
      'oauth_codes_expiry_idx',
    ]) {
      await q.query(`DROP INDEX ${name}`);
    }
  }
}
