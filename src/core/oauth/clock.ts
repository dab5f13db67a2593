/**
 * Time source for the OAuth core. Injected (never read from `Date.now()` directly) so that expiry rules
 * — JWT `exp`, code lifetimes — can be tested with a fixed clock and no sleeping.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch, like `Date.now()`. */
  now(): number;
}

/** The real wall clock, for production wiring. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock frozen at `ms`; tests advance it by building a new one. */
export function fixedClock(ms: number): Clock {
  return { now: () => ms };
}
