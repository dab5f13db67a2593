import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository } from 'typeorm';
import { L402RootKey } from './root-key.entity';

/** A page request of the admin listings. */
export interface PageQuery {
  limit: number;
  offset: number;
}

/** Filters of the token listing. */
export interface RootKeyFilter extends PageQuery {
  service?: string;
  revoked?: boolean;
}

/** Named queries over `l402_root_keys` (docs/style.md, "Layers": repositories thin, rules in services). */
@Injectable()
export class RootKeyRepository {
  constructor(@InjectRepository(L402RootKey) private readonly repo: Repository<L402RootKey>) {}

  private on(manager?: EntityManager): Repository<L402RootKey> {
    return manager ? manager.getRepository(L402RootKey) : this.repo;
  }

  /**
   * The hot-path lookup (only on a cache miss) by sha256(identifier): key, revocation state, and the OAuth
   * grant the token was minted for (the only trustworthy source of a binding; caveats are client-appendable).
   */
  findKey(idHash: string): Promise<Pick<L402RootKey, 'rootKey' | 'revokedAt' | 'oauthGrant'> | null> {
    return this.repo.findOne({ select: { idHash: true, rootKey: true, revokedAt: true, oauthGrant: true }, where: { idHash } });
  }

  findByTokenId(tokenId: string): Promise<L402RootKey | null> {
    return this.repo.findOneBy({ tokenId });
  }

  async insert(row: L402RootKey, manager?: EntityManager): Promise<void> {
    await this.on(manager).insert(row);
  }

  /**
   * Erases the root key and records when (keeping the first revocation time on a repeat). Returns the row's
   * id hash (to invalidate caches) and revocation time, or null when no such token exists.
   */
  async revoke(tokenId: string, at: Date): Promise<{ idHash: string; revokedAt: Date } | null> {
    const result = await this.repo
      .createQueryBuilder()
      .update(L402RootKey)
      .set({ rootKey: null, revokedAt: () => 'COALESCE(revoked_at, :at)' })
      .setParameter('at', at)
      .where('token_id = :tokenId', { tokenId })
      .returning(['idHash', 'revokedAt'])
      .execute();
    const row = (result.raw as Array<{ id_hash: string; revoked_at: Date }>)[0];
    return row ? { idHash: row.id_hash, revokedAt: new Date(row.revoked_at) } : null;
  }

  /** Newest first; `total` counts every row matching the filter. */
  async list(filter: RootKeyFilter): Promise<{ rows: L402RootKey[]; total: number }> {
    const qb = this.repo
      .createQueryBuilder('k')
      .select(['k.idHash', 'k.paymentHash', 'k.tokenId', 'k.service', 'k.tier', 'k.caveats', 'k.validUntil', 'k.oauthGrant', 'k.createdAt', 'k.revokedAt'])
      .orderBy('k.createdAt', 'DESC')
      .addOrderBy('k.tokenId', 'ASC')
      .limit(filter.limit)
      .offset(filter.offset);
    if (filter.service !== undefined) qb.andWhere('k.service = :service', { service: filter.service });
    if (filter.revoked === true) qb.andWhere('k.revokedAt IS NOT NULL');
    if (filter.revoked === false) qb.andWhere('k.revokedAt IS NULL');
    const [rows, total] = await qb.getManyAndCount();
    return { rows, total };
  }

  /** Deletes the tokens of these invoices; returns their id hashes (for cache invalidation). */
  async deleteByPaymentHashes(paymentHashes: string[], manager: EntityManager): Promise<string[]> {
    if (paymentHashes.length === 0) return [];
    const result = await this.on(manager)
      .createQueryBuilder()
      .delete()
      .from(L402RootKey)
      .where({ paymentHash: In(paymentHashes) })
      .returning(['idHash'])
      .execute();
    return (result.raw as Array<{ id_hash: string }>).map((r) => r.id_hash);
  }
}
