
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
  /**
   * Invoices one purge batch checks (each confirmed unpaid with the node first). A purge round runs batches
   * until no expired candidate is left, so the purge keeps up with any challenge rate the limiter allows.
   */
  purgeBatch: 500,
  /** Node lookups a purge batch runs at once. */
  purgeLookupConcurrency: 16,
  /** How often the node's invoices are reconciled with the table (invoices created since the last round). */
  reconcileIntervalMs: 60_000,
  /** Invoices younger than this are left to their challenge, which may still be recording them. */
  reconcileMarginMs: 10_000,
  /** Payment hashes looked up in the table at once while reconciling. */
  reconcileBatch: 500,
  /** Invoices whose recording failed kept in memory for the next reconciliation round. */
  unrecordedInvoicesKept: 10_000,
  /**
   * Fresh challenges (each one an invoice on the node and two rows here) one client IP may obtain per
   * window, per instance; beyond it the answer is 429 with Retry-After. Generous for a real client, which
   * needs one challenge per token, while capping what an anonymous flood can make the node store.
   */
  challengesPerIp: 60,
  /** The window of `challengesPerIp`. */
  challengeWindowMs: 60_000,
  /** Client IPs the challenge limiter tracks at once (least recently seen dropped first). */
  challengeLimiterEntries: 10_000,
  /** `Retry-After` of the 503 answered while the Lightning node is unreachable. */
  retryAfterSeconds: 5,
  /** Most root keys kept in each instance's cache (oldest dropped first). */
  rootKeyCacheSize: 100_000,
  /** Most payment hashes remembered as settled (strict mode) per instance. */
  settledCacheSize: 100_000,
} as const;
