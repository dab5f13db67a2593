/**
 * Time source for the OAuth core. Injected (never read from `Date.now()` directly) so that expiry rules
 * — JWT `exp`, code lifetimes — can be tested with a fixed clock and no sleeping. Same shape as the
 * L402 core's `Clock` (`src/core/l402/verifier.ts`), so one clock object serves both.
 */
export interface Clock {
  /** The current instant. */
  now(): Date;
}

/** The real wall clock, for production wiring. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock frozen at `at` (a Date or epoch milliseconds); tests advance it by building a new one. */
export function fixedClock(at: Date | number): Clock {
  const ms = typeof at === 'number' ? at : at.getTime();
  return { now: () => new Date(ms) };
}
