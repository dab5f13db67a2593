import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { LocalAccount } from './account.entity';

/** Named queries over `local_accounts`; the rules live in AccountsService (docs/style.md, "Layers"). */
@Injectable()
export class AccountsRepository {
  constructor(@InjectRepository(LocalAccount) private readonly repo: Repository<LocalAccount>) {}

  /** By id; with `em`, inside the caller's transaction (a second connection could deadlock a one-connection pool). */
  findById(id: string, em?: EntityManager): Promise<LocalAccount | null> {
    return (em ? em.getRepository(LocalAccount) : this.repo).findOneBy({ id });
  }

  findByUsername(username: string): Promise<LocalAccount | null> {
    return this.repo.findOneBy({ username });
  }

  /** Every account, oldest first (admin listing). */
  list(): Promise<LocalAccount[]> {
    return this.repo.find({ order: { createdAt: 'ASC', username: 'ASC' } });
  }

  /**
   * Inserts unless the username exists; resolves to false on a clash. `ON CONFLICT DO NOTHING` keeps two
   * instances seeding the demo account at once (or two admins racing) from failing with a 500.
   */
  async insertIfAbsent(account: Pick<LocalAccount, 'id' | 'username' | 'passwordHash' | 'passwordChangedAt'>): Promise<boolean> {
    const result = await this.repo
      .createQueryBuilder()
      .insert()
      .into(LocalAccount)
      .values({ ...account, disabledAt: null })
      .orIgnore()
      .returning(['id'])
      .execute();
    return (result.raw as unknown[]).length === 1;
  }

  async setDisabled(id: string, disabledAt: Date | null): Promise<void> {
    await this.repo.update({ id }, { disabledAt });
  }

  async setPasswordHash(id: string, passwordHash: string, changedAt: Date): Promise<void> {
    await this.repo.update({ id }, { passwordHash, passwordChangedAt: changedAt });
  }
}
