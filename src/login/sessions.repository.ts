import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { LoginSession } from './session.entity';

/** Named queries over `login_sessions`. */
@Injectable()
export class SessionsRepository {
  constructor(@InjectRepository(LoginSession) private readonly repo: Repository<LoginSession>) {}

  async insert(session: Pick<LoginSession, 'id' | 'tokenHash' | 'accountId' | 'expiresAt'>): Promise<void> {
    await this.repo.insert(session);
  }

  findByTokenHash(tokenHash: string): Promise<LoginSession | null> {
    return this.repo.findOneBy({ tokenHash });
  }

  async deleteByTokenHash(tokenHash: string): Promise<void> {
    await this.repo.delete({ tokenHash });
  }

  async deleteForAccount(accountId: string): Promise<void> {
    await this.repo.delete({ accountId });
  }

  async deleteExpired(now: Date): Promise<void> {
    await this.repo.delete({ expiresAt: LessThan(now) });
  }
}
