/**
 * When failed sign-ins lock a key (an account or an IP address) out. Pure: the caller passes the counter
 * and the time, so the rule is unit-tested with fixed instants and no sleeping.
 *
 * A fixed window: the first failure opens a window of `windowSeconds`; once `maxFailures` failures fall in
 * it, further attempts on that key are refused until the window ends — whatever the password, so a guesser
 * learns nothing during the lockout. A new failure after the window starts a new one. (An attempt is counted
 * before its password is checked and taken back when it succeeds; see {@link decideCounted}.)
 */
export interface ThrottleLimits {
  maxFailures: number;
  windowSeconds: number;
}

/**
 * Per account: 5 wrong passwords in 15 minutes (OWASP Authentication Cheat Sheet suggests a few attempts
 * then a delay). Per IP: 20, so one address cannot sweep many usernames with a few guesses each, while a
 * household behind one NAT does not lock itself out.
 */
export const ACCOUNT_LIMITS: ThrottleLimits = { maxFailures: 5, windowSeconds: 15 * 60 };
export const IP_LIMITS: ThrottleLimits = { maxFailures: 20, windowSeconds: 15 * 60 };

/** A key's stored state. */
export interface ThrottleCounter {
  failures: number;
  windowStartedAt: Date;
}

/** The verdict for one key. */
export type ThrottleDecision = { blocked: false } | { blocked: true; retryAfterSeconds: number };

/** True while the window that opened at `windowStartedAt` is still running at `now`. */
export function windowOpen(counter: ThrottleCounter, limits: ThrottleLimits, now: Date): boolean {
  return now.getTime() < counter.windowStartedAt.getTime() + limits.windowSeconds * 1000;
}

/** Whether an attempt on this key may proceed at `now`. */
export function decide(counter: ThrottleCounter | undefined, limits: ThrottleLimits, now: Date): ThrottleDecision {
  if (!counter || !windowOpen(counter, limits, now) || counter.failures < limits.maxFailures) return { blocked: false };
  const endsAt = counter.windowStartedAt.getTime() + limits.windowSeconds * 1000;
  return { blocked: true, retryAfterSeconds: Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000)) };
}

/**
 * The verdict for an attempt that is already counted in `counter` (sign-in counts every attempt atomically
 * *before* the slow password check, so parallel guesses cannot all pass a check that ran before any of them
 * was counted): it may proceed while it is one of the first `maxFailures` attempts of its window.
 */
export function decideCounted(counter: ThrottleCounter, limits: ThrottleLimits, now: Date): ThrottleDecision {
  return decide({ failures: counter.failures - 1, windowStartedAt: counter.windowStartedAt }, limits, now);
}
