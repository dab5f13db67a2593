import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { OAuthAuthorizationCode } from './authorization-code.entity';

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

  async markConsumed(em: EntityManager, id: string, grantId: string, at: Date): Promise<void> {
    await em.query('UPDATE oauth_authorization_codes SET consumed_at = $2, grant_id = $3 WHERE id = $1', [id, at, grantId]);
  }
}
