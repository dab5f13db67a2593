import { Injectable, OnApplicationBootstrap, OnModuleDestroy, Inject } from '@nestjs/common';
import { logger } from '../common/logger';
import { PeriodicJob } from '../common/periodic-job';
import { CodesRepository } from './codes.repository';
import { GrantsRepository } from './grants.repository';
import { TokensRepository } from './tokens.repository';
import { CLOCK } from '../common/clock.module';
import type { Clock } from '../core/clock';

/** How often each instance purges (every instance may; the deletes are idempotent). */
export const PURGE_INTERVAL_MS = 10 * 60 * 1000;
/** Codes are kept a day past their expiry (they live 5 minutes), long enough to explain a late redemption in logs. */
export const CODE_RETENTION_SECONDS = 24 * 3600;
/** Revoked or expired tokens and grants are kept 30 days, for audits and L402s bound to a grant to read "revoked". */
export const TOKEN_RETENTION_SECONDS = 30 * 24 * 3600;

/** What one purge removed. */
export interface PurgeResult {
  codes: number;
  tokens: number;
  grants: number;
}

/**
 * Deletes what can never be used again: authorization codes past their expiry plus a day, and tokens and
 * grants revoked or expired more than 30 days ago. Without it those tables only grow (every refresh adds a
 * pair, every authorization a code). Runs every 10 minutes on the one CLOCK's time, so tests move the clock
 * and call {@link purge} instead of waiting.
 */
@Injectable()
export class OAuthPurger implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly job = new PeriodicJob('oauth-purge', PURGE_INTERVAL_MS, () => this.purgeLogged());

  constructor(
    private readonly codes: CodesRepository,
    private readonly tokens: TokensRepository,
    private readonly grants: GrantsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start();
  }

  /** Stops the timer and lets a purge under way finish before the database connection closes. */
  onModuleDestroy(): Promise<void> {
    return this.job.stop();
  }

  /** One purge at the clock's now. Codes first: they may point at grants about to go. */
  async purge(): Promise<PurgeResult> {
    const now = this.clock.now().getTime();
    const codes = await this.codes.deleteExpiredBefore(new Date(now - CODE_RETENTION_SECONDS * 1000));
    const tokenCutoff = new Date(now - TOKEN_RETENTION_SECONDS * 1000);
    const grants = await this.grants.deleteDeadBefore(tokenCutoff);
    const tokens = await this.tokens.deleteDeadBefore(tokenCutoff);
    return { codes, tokens, grants };
  }

  /** A timer run: logs what it removed (PeriodicJob logs failures and prevents overlap). */
  private async purgeLogged(): Promise<void> {
    const result = await this.purge();
    if (result.codes + result.tokens + result.grants > 0) logger.info(result, 'oauth purge');
  }
}
