import { Injectable } from '@nestjs/common';
import { normalizeUsername } from '../accounts/account.identity';
import { ACCOUNT_LIMITS, decideCounted, IP_LIMITS, ThrottleLimits } from './throttle.policy';
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
 * Throttles sign-ins per account and per client IP, with counters in Postgres so every instance shares them
 * (docs/architecture.md, "Scaling out": no state that matters in memory). Every attempt is counted atomically *before* the
 * (deliberately slow) password hash and refused when it is over the limit, so a burst of parallel guesses
 * gets no more checks than sequential ones, and a locked-out guesser cannot make satgate burn CPU either. A
 * success takes its attempt back. Unknown usernames are counted like real ones, so lockouts do not reveal
 * which accounts exist.
 */
@Injectable()
export class SignInThrottle {
  private lastSweep = 0;

  constructor(private readonly counters: ThrottleRepository) {}

  /**
   * Counts this attempt against the account and the IP, then throws SignInThrottled when either is over its
   * limit at `now`. An attempt that is let through stays counted as a failure unless {@link recordSuccess}
   * takes it back.
   */
  async admit(username: string, ip: string, now: Date): Promise<void> {
    let refused: SignInThrottled | undefined;
    for (const k of this.keys(username, ip)) {
      const counter = await this.counters.increment(k.key, now, new Date(now.getTime() - k.limits.windowSeconds * 1000));
      const verdict = decideCounted(counter, k.limits, now);
      if (verdict.blocked) refused ??= new SignInThrottled(k.scope, verdict.retryAfterSeconds);
    }
    await this.sweep(now);
    if (refused) throw refused;
  }

  /**
   * A correct password clears the account's counter and takes this attempt back from the IP's (not the IP's
   * whole count: one success must not hide a sweep across usernames).
   */
  async recordSuccess(username: string, ip: string): Promise<void> {
    const [account, address] = this.keys(username, ip);
    await this.counters.delete(account.key);
    await this.counters.decrement(address.key);
  }

  private keys(username: string, ip: string): [ThrottleKey, ThrottleKey] {
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

interface ThrottleKey {
  scope: 'account' | 'ip';
  key: string;
  limits: ThrottleLimits;
}
