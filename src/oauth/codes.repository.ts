import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { OAuthAuthorizationCode } from './authorization-code.entity';
import { rowsOf } from '../database/sql.rows';

/** Named queries over `oauth_authorization_codes`. */
@Injectable()
export class CodesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(code: OAuthAuthorizationCode): Promise<void> {
    await this.db.getRepository(OAuthAuthorizationCode).insert(code);
  }

  /**
   * The code by hash, row-locked until the transaction ends: a concurrent second redemption waits, then sees
   * `consumed_at` and the grant the first one created, so it can revoke it (RFC 6749 §4.1.2).
   */
  async lockByHash(em: EntityManager, codeHash: string): Promise<OAuthAuthorizationCode | undefined> {
    const code = await em
      .getRepository(OAuthAuthorizationCode)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.code_hash = :codeHash', { codeHash })
      .getOne();
    return code ?? undefined;
  }

  /**
   * Deletes the user's codes not yet exchanged (to one client, or to every client), so none issued before a
   * revocation can be redeemed after it. A code being exchanged right now is row-locked: the delete waits for
   * that exchange and then leaves the consumed row alone, and the caller's next statement sees its grant.
   * Returns how many codes were deleted.
   */
  async deleteUnconsumed(em: EntityManager, userId: string, clientId?: string): Promise<number> {
    const raw = await em.query(
      `DELETE FROM oauth_authorization_codes
        WHERE user_id = $1 AND consumed_at IS NULL AND ($2::varchar IS NULL OR client_id = $2)
        RETURNING id`,
      [userId, clientId ?? null],
    );
    return rowsOf(raw).length;
  }

  /** Deletes codes that expired before `before` (exchanged or not); returns how many. */
  async deleteExpiredBefore(before: Date): Promise<number> {
    return rowsOf(await this.db.query('DELETE FROM oauth_authorization_codes WHERE expires_at < $1 RETURNING id', [before])).length;
  }

  async markConsumed(em: EntityManager, id: string, grantId: string, at: Date): Promise<void> {
    await em.query('UPDATE oauth_authorization_codes SET consumed_at = $2, grant_id = $3 WHERE id = $1', [id, at, grantId]);
  }
}
