/**
 * What the L402 flow decided, reported as events so the library stays silent and the CLI can print one
 * line per decision. Events never carry the macaroon or the preimage.
 */

/** One decision of `l402Fetch`. */
export type L402Event =
  /** A stored token was attached to the request. */
  | { type: 'using-stored-token'; origin: string }
  /**
   * The stored token was answered with a fresh 402; a new challenge follows. `reason` is the server's own
   * word for it (`expired`, `revoked`, `wrong_service`, ... from satgate's 402 JSON body) when it gave one.
   */
  | { type: 'stored-token-refused'; origin: string; reason?: string }
  /** We paid a challenge: exactly one of these per payment. */
  | { type: 'paid'; origin: string; paymentHash: string; sats: number; feeSats: number; ms: number }
  /** A pending record from an earlier run turned out settled: the token was stored without paying again. */
  | { type: 'recovered-pending'; origin: string; paymentHash: string; sats: number; feeSats: number }
  /** A pending record turned out failed (or never reached the node) and was dropped. */
  | { type: 'dropped-pending'; origin: string; paymentHash: string; reason: string }
  /** A pending payment is still in flight; we are waiting for it to settle or fail. */
  | { type: 'waiting-for-pending'; origin: string; paymentHash: string; timeoutMs: number };

/** Callback receiving the events. */
export type L402EventListener = (event: L402Event) => void;
