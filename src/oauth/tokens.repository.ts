import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../database/sql.rows';
import { OAuthToken, type TokenKind } from './token.entity';

/** A token with what deciding its validity needs: its grant's state and its client's allowed scopes. */
export interface TokenRecord {
  id: string;
  kind: TokenKind;
  grantId: string;
  clientId: string;
  userId: string | null;
  userIdentifier: string | null;
  scopes: string[];
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
  grantRevokedAt: Date | null;
  grantRedirectUri: string | null;
  /** The client's allowed scopes now; null = every known scope. */
  clientScopes: string[] | null;
}

interface TokenRow {
  id: string;
  kind: TokenKind;
  grant_id: string;
  client_id: string;
  user_id: string | null;
  user_identifier: string | null;
  scopes: string[];
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
  grant_revoked_at: Date | null;
  redirect_uri: string | null;
  client_scopes: string[] | null;
}

/** Named queries over `oauth_tokens`. Methods taking an EntityManager run inside the caller's transaction. */
@Injectable()
export class TokensRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(em: EntityManager, tokens: OAuthToken[]): Promise<void> {
    await em.getRepository(OAuthToken).insert(tokens);
  }

  /** One query: the token by hash joined with its grant and client — all a validity decision needs. */
  async findByHash(tokenHash: string): Promise<TokenRecord | undefined> {
    const rows = rowsOf<TokenRow>(
      await this.db.query(
        `SELECT t.id, t.kind, t.grant_id, t.client_id, t.user_id, t.user_identifier, t.scopes, t.expires_at,
                t.used_at, t.revoked_at, t.created_at, g.revoked_at AS grant_revoked_at, g.redirect_uri,
                c.scopes AS client_scopes
           FROM oauth_tokens t
           JOIN oauth_grants g ON g.id = t.grant_id
           JOIN oauth_clients c ON c.client_id = t.client_id
          WHERE t.token_hash = $1`,
        [tokenHash],
      ),
    );
    return rows[0] && toRecord(rows[0]);
  }

  /** The refresh token by hash, row-locked until the transaction ends, so two refreshes cannot both rotate it. */
  async lockRefresh(em: EntityManager, tokenHash: string): Promise<OAuthToken | undefined> {
    const token = await em
      .getRepository(OAuthToken)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.token_hash = :tokenHash AND t.kind = :kind', { tokenHash, kind: 'refresh' })
      .getOne();
    return token ?? undefined;
  }

  async markUsed(em: EntityManager, id: string, at: Date): Promise<void> {
    await em.query('UPDATE oauth_tokens SET used_at = $2 WHERE id = $1', [id, at]);
  }

  /** Revokes the grant's still-live access tokens (the ones a refresh supersedes). */
  async revokeAccessOfGrant(em: EntityManager, grantId: string, at: Date): Promise<void> {
    await em.query(
      `UPDATE oauth_tokens SET revoked_at = $2 WHERE grant_id = $1 AND kind = 'access' AND revoked_at IS NULL`,
      [grantId, at],
    );
  }

  /** Revokes every token of the given grants. */
  async revokeAllOfGrants(em: EntityManager, grantIds: string[], at: Date): Promise<void> {
    if (grantIds.length === 0) return;
    await em.query('UPDATE oauth_tokens SET revoked_at = $2 WHERE grant_id = ANY($1::uuid[]) AND revoked_at IS NULL', [
      grantIds,
      at,
    ]);
  }

  /**
   * Deletes tokens revoked or expired before `before` (superseded access tokens of grants that live on, old
   * rotated refresh tokens); returns how many.
   */
  async deleteDeadBefore(before: Date): Promise<number> {
    const raw = await this.db.query('DELETE FROM oauth_tokens WHERE revoked_at < $1 OR expires_at < $1 RETURNING id', [before]);
    return rowsOf(raw).length;
  }

  /** Revokes one token; true when it was live. */
  async revoke(id: string, at: Date): Promise<boolean> {
    const raw = await this.db.query('UPDATE oauth_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id', [
      id,
      at,
    ]);
    return rowsOf(raw).length > 0;
  }
}

function toRecord(r: TokenRow): TokenRecord {
  return {
    id: r.id,
    kind: r.kind,
    grantId: r.grant_id,
    clientId: r.client_id,
    userId: r.user_id,
    userIdentifier: r.user_identifier,
    scopes: r.scopes,
    expiresAt: r.expires_at,
    usedAt: r.used_at,
    revokedAt: r.revoked_at,
    createdAt: r.created_at,
    grantRevokedAt: r.grant_revoked_at,
    grantRedirectUri: r.redirect_uri,
    clientScopes: r.client_scopes,
  };
}
