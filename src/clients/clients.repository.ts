import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { OAuthClient } from './client.entity';

/** Named queries over `oauth_clients` (docs/style.md, "Layers": services hold the rules, repositories stay thin). */
@Injectable()
export class ClientsRepository {
  constructor(@InjectRepository(OAuthClient) private readonly repo: Repository<OAuthClient>) {}

  findById(clientId: string): Promise<OAuthClient | null> {
    return this.repo.findOneBy({ clientId });
  }

  listAll(): Promise<OAuthClient[]> {
    return this.repo.find({ order: { createdAt: 'ASC', clientId: 'ASC' } });
  }

  async insert(client: OAuthClient): Promise<void> {
    await this.repo.insert(client);
  }

  /** Inserts unless a client with that id exists; true when a row was written (idempotent demo seeding). */
  async insertIfAbsent(client: OAuthClient): Promise<boolean> {
    const result = await this.repo
      .createQueryBuilder()
      .insert()
      .into(OAuthClient)
      .values(client)
      .orIgnore()
      .returning('client_id')
      .execute();
    return Array.isArray(result.raw) && result.raw.length > 0;
  }

  async save(client: OAuthClient): Promise<OAuthClient> {
    return this.repo.save(client);
  }

  /** Deletes the client; codes, grants and tokens go with it (ON DELETE CASCADE). True when it existed. */
  async delete(clientId: string): Promise<boolean> {
    const result = await this.repo.delete({ clientId });
    return (result.affected ?? 0) > 0;
  }

  async setSecretHash(clientId: string, secretHash: string): Promise<void> {
    await this.repo.update({ clientId }, { secretHash });
  }
}
