import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { OAuthGrant } from './grant.entity';
import { rowsOf } from '../database/sql.rows';

/** A grant with its client's allowed scopes and its newest access token id (for `grantStatus`). */
export interface GrantStatusRecord {
  grant: OAuthGrant;
  clientScopes: string[] | null;
  latestAccessTokenId: string | null;
}

/** A live grant of one user, with the client's public metadata (the connected-apps list). */
export interface UserGrantRecord {
  grantId: string;
  clientId: string;
  scopes: string[];
  redirectUri: string | null;
  createdAt: Date;
  clientName: string;
  clientUrl: string;
  clientImageUrl: string;
  clientDomain: string;
}

/** Named queries over `oauth_grants`. Methods taking an EntityManager run inside the caller's transaction. */
@Injectable()
export class GrantsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(em: EntityManager, grant: OAuthGrant): Promise<void> {
    await em.getRepository(OAuthGrant).insert(grant);
  }

  /** Pushes the family's expiry forward (never back) when new tokens are minted. */
  async extendExpiry(em: EntityManager, grantId: string, expiresAt: Date): Promise<void> {
    await em.query('UPDATE oauth_grants SET expires_at = GREATEST(expires_at, $2) WHERE id = $1', [grantId, expiresAt]);
  }

  /** Marks grants revoked (first reason wins) and returns the ids that were live. */
  async revoke(em: EntityManager, grantIds: string[], reason: string, at: Date): Promise<string[]> {
    if (grantIds.length === 0) return [];
    const raw = await em.query(
      `UPDATE oauth_grants SET revoked_at = $2, revoked_reason = $3
        WHERE id = ANY($1::uuid[]) AND revoked_at IS NULL RETURNING id`,
      [grantIds, at, reason],
    );
    return rowsOf<{ id: string }>(raw).map((r) => r.id);
  }

  async findStatus(grantId: string): Promise<GrantStatusRecord | undefined> {
    const rows = rowsOf<Record<string, unknown>>(
      await this.db.query(
        `SELECT g.id, g.client_id, g.user_id, g.user_identifier, g.grant_type, g.scopes, g.redirect_uri,
                g.access_ttl_seconds, g.expires_at, g.ends_at, g.revoked_at, g.revoked_reason, g.created_at,
                c.scopes AS client_scopes,
                (SELECT t.id FROM oauth_tokens t WHERE t.grant_id = g.id AND t.kind = 'access'
                  ORDER BY t.created_at DESC, t.id LIMIT 1) AS latest_access_token_id
           FROM oauth_grants g JOIN oauth_clients c ON c.client_id = g.client_id
          WHERE g.id = $1`,
        [grantId],
      ),
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      grant: toGrant(r),
      clientScopes: r.client_scopes as string[] | null,
      latestAccessTokenId: r.latest_access_token_id as string | null,
    };
  }

  /** The user's grants that are neither revoked nor expired at `now`, oldest first, with client metadata. */
  async listLiveForUser(userId: string, now: Date): Promise<UserGrantRecord[]> {
    const rows = rowsOf<Record<string, unknown>>(
      await this.db.query(
        `SELECT g.id, g.client_id, g.scopes, g.redirect_uri, g.created_at,
                c.name, c.url, c.image_url, c.domain
           FROM oauth_grants g JOIN oauth_clients c ON c.client_id = g.client_id
          WHERE g.user_id = $1 AND g.revoked_at IS NULL AND g.expires_at > $2
          ORDER BY g.created_at, g.id`,
        [userId, now],
      ),
    );
    return rows.map((r) => ({
      grantId: r.id as string,
      clientId: r.client_id as string,
      scopes: r.scopes as string[],
      redirectUri: r.redirect_uri as string | null,
      createdAt: r.created_at as Date,
      clientName: r.name as string,
      clientUrl: r.url as string,
      clientImageUrl: r.image_url as string,
      clientDomain: r.domain as string,
    }));
  }

  /** One page of every grant, newest first, with the total (the admin list). */
  async page(limit: number, offset: number): Promise<{ grants: OAuthGrant[]; total: number }> {
    const rows = rowsOf<Record<string, unknown>>(
      await this.db.query(
        `SELECT g.*, count(*) OVER () AS total FROM oauth_grants g ORDER BY g.created_at DESC, g.id LIMIT $1 OFFSET $2`,
        [limit, offset],
      ),
    );
    const total = rows[0] ? Number(rows[0].total) : Number(rowsOf<{ n: string }>(await this.db.query('SELECT count(*) AS n FROM oauth_grants'))[0].n);
    return { grants: rows.map(toGrant), total };
  }

  async findById(grantId: string): Promise<OAuthGrant | undefined> {
    const rows = rowsOf<Record<string, unknown>>(await this.db.query('SELECT * FROM oauth_grants WHERE id = $1', [grantId]));
    return rows[0] ? toGrant(rows[0]) : undefined;
  }

  /** Ids of the user's unrevoked grants to one client. */
  async idsForUserAndClient(em: EntityManager, userId: string, clientId: string): Promise<string[]> {
    const raw = await em.query(
      'SELECT id FROM oauth_grants WHERE user_id = $1 AND client_id = $2 AND revoked_at IS NULL',
      [userId, clientId],
    );
    return rowsOf<{ id: string }>(raw).map((r) => r.id);
  }

  /** Ids of every unrevoked grant the user gave, to any client. */
  async idsForUser(em: EntityManager, userId: string): Promise<string[]> {
    const raw = await em.query('SELECT id FROM oauth_grants WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
    return rowsOf<{ id: string }>(raw).map((r) => r.id);
  }

  /** Ids of grants created by the demo seed for this client and user (replaced at each demo start). */
  async idsOfSeeded(em: EntityManager, clientId: string, userId: string): Promise<string[]> {
    const raw = await em.query(
      `SELECT id FROM oauth_grants WHERE client_id = $1 AND user_id = $2 AND grant_type = 'demo'`,
      [clientId, userId],
    );
    return rowsOf<{ id: string }>(raw).map((r) => r.id);
  }

  /**
   * Deletes grants revoked, or wholly expired, before `before`, with their tokens (ON DELETE CASCADE); codes
   * pointing at them keep their row with `grant_id` NULL. Returns how many grants went.
   */
  async deleteDeadBefore(before: Date): Promise<number> {
    const raw = await this.db.query(
      'DELETE FROM oauth_grants WHERE revoked_at < $1 OR (revoked_at IS NULL AND expires_at < $1) RETURNING id',
      [before],
    );
    return rowsOf(raw).length;
  }

  /** Deletes grants with their tokens (ON DELETE CASCADE). */
  async delete(em: EntityManager, grantIds: string[]): Promise<void> {
    if (grantIds.length === 0) return;
    await em.query('DELETE FROM oauth_grants WHERE id = ANY($1::uuid[])', [grantIds]);
  }
}

function toGrant(r: Record<string, unknown>): OAuthGrant {
  const g = new OAuthGrant();
  g.id = r.id as string;
  g.clientId = r.client_id as string;
  g.userId = r.user_id as string | null;
  g.userIdentifier = r.user_identifier as string | null;
  g.grantType = r.grant_type as OAuthGrant['grantType'];
  g.scopes = r.scopes as string[];
  g.redirectUri = r.redirect_uri as string | null;
  g.accessTtlSeconds = r.access_ttl_seconds as number;
  g.expiresAt = r.expires_at as Date;
  g.endsAt = (r.ends_at as Date | null) ?? null;
  g.revokedAt = r.revoked_at as Date | null;
  g.revokedReason = r.revoked_reason as string | null;
  g.createdAt = r.created_at as Date;
  return g;
}
