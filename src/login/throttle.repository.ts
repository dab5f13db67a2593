import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, Repository } from 'typeorm';
import { ThrottleCounterRow } from './throttle-counter.entity';
import type { ThrottleCounter } from './throttle.policy';

/** Named queries over `login_throttle`. */
@Injectable()
export class ThrottleRepository {
  constructor(@InjectRepository(ThrottleCounterRow) private readonly repo: Repository<ThrottleCounterRow>) {}

  async find(keys: string[]): Promise<Map<string, ThrottleCounter>> {
    const rows = keys.length ? await this.repo.findBy({ key: In(keys) }) : [];
    return new Map(rows.map((r) => [r.key, { failures: r.failures, windowStartedAt: r.windowStartedAt }]));
  }

  /**
   * Counts one failure atomically, so concurrent attempts on several instances cannot under-count: a window
   * older than `windowStart` restarts at one, otherwise the count goes up.
   */
  async increment(key: string, now: Date, windowStart: Date): Promise<void> {
    await this.repo.query(
      `INSERT INTO login_throttle (key, failures, window_started_at) VALUES ($1, 1, $2)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN login_throttle.window_started_at <= $3 THEN 1 ELSE login_throttle.failures + 1 END,
         window_started_at = CASE WHEN login_throttle.window_started_at <= $3 THEN $2 ELSE login_throttle.window_started_at END`,
      [key, now, windowStart],
    );
  }

  async delete(key: string): Promise<void> {
    await this.repo.delete({ key });
  }

  /** Drops counters whose window started before `before` (they no longer block anything). */
  async deleteStartedBefore(before: Date): Promise<void> {
    await this.repo.delete({ windowStartedAt: LessThan(before) });
  }
}
