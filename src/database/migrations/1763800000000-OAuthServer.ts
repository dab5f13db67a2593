import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The OAuth2 authorization server's tables: clients, authorization codes, grants and tokens.
 *
 * A *grant* is one authorization (one code exchange, one client_credentials call, or the demo seed) and is
 * the refresh-token *family*: every access and refresh token minted from it, through any number of
 * rotations, carries its id, so revoking the grant (code reuse, refresh reuse, the user disconnecting the
 * app, RFC 7009 revocation of a refresh token) kills them all with one row update. Secrets (client secrets,
 * codes, tokens) are stored only as lowercase hex SHA-256 (see src/core/oauth/secrets.ts for why).
 */
export class OAuthServer1763800000000 implements MigrationInterface {
  name = 'OAuthServer1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE oauth_clients (
        client_id     varchar(128) PRIMARY KEY,
        secret_hash   char(64),
        public        boolean NOT NULL DEFAULT false,
        name          varchar(200) NOT NULL,
        url           text NOT NULL DEFAULT '',
        domain        text NOT NULL,
        redirect_uris jsonb NOT NULL DEFAULT '[]'::jsonb,
        image_url     text NOT NULL DEFAULT '',
        scopes        jsonb,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT oauth_clients_secret_iff_confidential CHECK (public = (secret_hash IS NULL))
      )`);
    await q.query(`
      CREATE TABLE oauth_grants (
        id                 uuid PRIMARY KEY,
        client_id          varchar(128) NOT NULL REFERENCES oauth_clients(client_id) ON DELETE CASCADE,
        user_id            varchar(200),
        user_identifier    varchar(200),
        grant_type         varchar(32) NOT NULL,
        scopes             jsonb NOT NULL,
        redirect_uri       text,
        access_ttl_seconds integer NOT NULL,
        expires_at         timestamptz NOT NULL,
        revoked_at         timestamptz,
        revoked_reason     varchar(32),
        created_at         timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX oauth_grants_client_idx ON oauth_grants (client_id)`);
    await q.query(`CREATE INDEX oauth_grants_user_idx ON oauth_grants (user_id, client_id) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE oauth_authorization_codes (
        id                    uuid PRIMARY KEY,
        code_hash             char(64) NOT NULL UNIQUE,
        client_id             varchar(128) NOT NULL REFERENCES oauth_clients(client_id) ON DELETE CASCADE,
        user_id               varchar(200) NOT NULL,
        user_identifier       varchar(200),
        redirect_uri          text NOT NULL,
        redirect_uri_explicit boolean NOT NULL,
        scopes                jsonb NOT NULL,
        code_challenge        varchar(128),
        code_challenge_method varchar(8),
        access_ttl_seconds    integer NOT NULL,
        expires_at            timestamptz NOT NULL,
        consumed_at           timestamptz,
        grant_id              uuid REFERENCES oauth_grants(id) ON DELETE SET NULL,
        created_at            timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE oauth_tokens (
        id              uuid PRIMARY KEY,
        kind            varchar(8) NOT NULL CHECK (kind IN ('access', 'refresh')),
        token_hash      char(64) NOT NULL UNIQUE,
        grant_id        uuid NOT NULL REFERENCES oauth_grants(id) ON DELETE CASCADE,
        client_id       varchar(128) NOT NULL REFERENCES oauth_clients(client_id) ON DELETE CASCADE,
        user_id         varchar(200),
        user_identifier varchar(200),
        scopes          jsonb NOT NULL,
        expires_at      timestamptz NOT NULL,
        used_at         timestamptz,
        revoked_at      timestamptz,
        created_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX oauth_tokens_grant_idx ON oauth_tokens (grant_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE oauth_tokens');
    await q.query('DROP TABLE oauth_authorization_codes');
    await q.query('DROP TABLE oauth_grants');
    await q.query('DROP TABLE oauth_clients');
  }
}
