import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, Repository } from 'typeorm';
import { ThrottleCounterRow } from './throttle-counter.entity';
import { rowsOf } from '../database/sql.rows';
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
   * Counts one attempt atomically and answers the counter including it, so concurrent attempts on several
   * instances can neither under-count nor all read the same old value: a window older than `windowStart`
   * restarts at one, otherwise the count goes up.
   */
  async increment(key: string, now: Date, windowStart: Date): Promise<ThrottleCounter> {
    const rows = rowsOf<{ failures: number; window_started_at: Date }>(
      await this.repo.query(
        `INSERT INTO login_throttle (key, failures, window_started_at) VALUES ($1, 1, $2)
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE WHEN login_throttle.window_started_at <= $3 THEN 1 ELSE login_throttle.failures + 1 END,
           window_started_at = CASE WHEN login_throttle.window_started_at <= $3 THEN $2 ELSE login_throttle.window_started_at END
         RETURNING failures, window_started_at`,
        [key, now, windowStart],
      ),
    );
    return { failures: rows[0].failures, windowStartedAt: rows[0].window_started_at };
  }

  /** Takes back one counted attempt (it turned out to succeed), never below zero. */
  async decrement(key: string): Promise<void> {
    await this.repo.query('UPDATE login_throttle SET failures = GREATEST(failures - 1, 0) WHERE key = $1', [key]);
  }

  async delete(key: string): Promise<void> {
    await this.repo.delete({ key });
  }

  /** Drops counters whose window started before `before` (they no longer block anything). */
  async deleteStartedBefore(before: Date): Promise<void> {
    await this.repo.delete({ windowStartedAt: LessThan(before) });
  }
}
