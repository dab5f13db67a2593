import type { Clock } from '../core/l402';

/** The service named in `services=` when a requirement names none (the default). */
export const DEFAULT_SERVICE = 'satgate';

/** InvalidationBus topic of cached root keys; the key is sha256(identifier) in hex. */
export const ROOT_KEY_TOPIC = 'l402-root-key';

/** Name of the settlement cursor row of the merchant node's invoice stream. */
export const SETTLEMENT_CURSOR = 'invoices';

/**
 * Tunables of the paywall. Not (yet) environment settings: the defaults suit every deployment we know,
 * and keeping them here avoids configuration nobody asked for.
 */
export const L402_DEFAULTS = {
  /** Expiry of a challenge's invoice; an unpaid challenge is useless after it. */
  invoiceExpirySeconds: 3600,
  /** How long after its invoice expired an unpaid challenge's root key and invoice are kept. */
  purgeGraceSeconds: 3600,
  /** How often the purge runs. */
  purgeIntervalMs: 60_000,
  /** Most invoices one purge round checks (each is confirmed unpaid with the node first). */
  purgeBatch: 200,
  /** `Retry-After` of the 503 answered while the Lightning node is unreachable. */
  retryAfterSeconds: 5,
  /** Most root keys kept in each instance's cache (oldest dropped first). */
  rootKeyCacheSize: 100_000,
  /** Most payment hashes remembered as settled (strict mode) per instance. */
  settledCacheSize: 100_000,
} as const;

/** Injection token of the L402 clock: minting and verification read time only from it (tests move it). */
export const L402_CLOCK = Symbol('L402_CLOCK');

/** The production clock. A mutable object so tests can fake time through `app.get(L402_CLOCK)`. */
export function systemClock(): Clock {
  return { now: () => new Date() };
}
