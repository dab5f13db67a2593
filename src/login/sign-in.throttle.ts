import { Injectable } from '@nestjs/common';
import { normalizeUsername } from '../accounts/account.identity';
import { ACCOUNT_LIMITS, decide, IP_LIMITS, ThrottleLimits } from './throttle.policy';
import { ThrottleRepository } from './throttle.repository';

/** Sign-in refused before the password was even checked, because of earlier failures. */
export class SignInThrottled extends Error {
  constructor(
    readonly scope: 'account' | 'ip',
    readonly retryAfterSeconds: number,
  ) {
    super(`too many failed sign-ins for this ${scope}`);
    this.name = 'SignInThrottled';
  }
}

/** How often one instance sweeps stale counters. */
const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/**
 * Throttles failed sign-ins per account and per client IP, with counters in Postgres so every instance
 * shares them (DESIGN.md: no state that matters in memory). Unknown usernames are counted like real ones,
 * so lockouts do not reveal which accounts exist. The check runs before the (deliberately slow) password
 * hash, so a locked-out guesser cannot make satgate burn CPU either.
 */
@Injectable()
export class SignInThrottle {
  private lastSweep = 0;

  constructor(private readonly counters: ThrottleRepository) {}

  /** Throws SignInThrottled when either the account or the IP is locked out at `now`. */
  async assertAllowed(username: string, ip: string, now: Date): Promise<void> {
    const keys = this.keys(username, ip);
    const counters = await this.counters.find(keys.map((k) => k.key));
    for (const k of keys) {
      const verdict = decide(counters.get(k.key), k.limits, now);
      if (verdict.blocked) throw new SignInThrottled(k.scope, verdict.retryAfterSeconds);
    }
  }

  /** Counts a failed sign-in against both keys. */
  async recordFailure(username: string, ip: string, now: Date): Promise<void> {
    for (const k of this.keys(username, ip)) {
      await this.counters.increment(k.key, now, new Date(now.getTime() - k.limits.windowSeconds * 1000));
    }
    await this.sweep(now);
  }

  /** A correct password clears the account's counter (not the IP's: one success must not hide a sweep). */
  async recordSuccess(username: string): Promise<void> {
    await this.counters.delete(this.keys(username, '').find((k) => k.scope === 'account')!.key);
  }

  private keys(username: string, ip: string): Array<{ scope: 'account' | 'ip'; key: string; limits: ThrottleLimits }> {
    return [
      { scope: 'account', key: `account:${normalizeUsername(username).slice(0, 64)}`, limits: ACCOUNT_LIMITS },
      { scope: 'ip', key: `ip:${ip.slice(0, 64)}`, limits: IP_LIMITS },
    ];
  }

  private async sweep(now: Date): Promise<void> {
    if (now.getTime() - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = now.getTime();
    const longest = Math.max(ACCOUNT_LIMITS.windowSeconds, IP_LIMITS.windowSeconds);
    await this.counters.deleteStartedBefore(new Date(now.getTime() - longest * 1000));
  }
}
