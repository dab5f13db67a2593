/**
 * The one time source of the protocol core, L402 and OAuth alike. Injected (never read from `Date.now()`
 * directly) so that expiry rules (JWT `exp`, code lifetimes, `valid_until` caveats) are tested with a fixed
 * clock and no sleeping.
 */
export interface Clock {
  /** The current instant. */
  now(): Date;
}

/** A clock frozen at `at` (a Date or epoch milliseconds); tests advance it by building a new one. */
export function fixedClock(at: Date | number): Clock {
  const ms = typeof at === 'number' ? at : at.getTime();
  return { now: () => new Date(ms) };
}
