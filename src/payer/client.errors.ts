/**
 * Errors the L402 client raises. Each one carries the reason a user acts on (price and limit, the
 * payment hash to look up, the challenge field that was wrong) so the CLI can print it and pick an exit
 * code without parsing messages. None of them ever includes a macaroon or a preimage.
 */

/** Base class so callers can tell client refusals from transport errors with one `instanceof`. */
export class L402ClientError extends Error {
  /** Short machine-readable reason, stable across message wording changes. */
  readonly reason: string;

  constructor(reason: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.reason = reason;
  }
}

/** The server asks more than the user allowed; nothing was paid. Names both numbers so the user can decide. */
export class OverLimitError extends L402ClientError {
  constructor(
    readonly priceSats: number,
    readonly limitSats: number,
    readonly origin: string,
  ) {
    super('over_limit', `price ${formatSats(priceSats)} sats for ${origin} is over the limit of ${limitSats} sats`);
  }
}

/** The payment definitely did not go through; no pending state is left behind. */
export class PaymentFailedError extends L402ClientError {
  constructor(
    readonly paymentHash: string,
    readonly failure: string,
  ) {
    super('payment_failed', `payment ${paymentHash} failed: ${failure}`);
  }
}

/**
 * A payment is still in flight on the user's node after we waited for it. We cannot know yet whether it
 * will settle, so we neither pay again nor forget it; the message says what to run next.
 */
export class PaymentPendingError extends L402ClientError {
  constructor(
    readonly paymentHash: string,
    readonly origin: string,
    readonly waitedMs: number,
  ) {
    super(
      'payment_in_flight',
      `payment ${paymentHash} for ${origin} is still in flight on your Lightning node after waiting ` +
        `${Math.round(waitedMs / 1000)} s. Nothing was paid twice. Run the same command again later: it ` +
        `looks the payment up and finishes storing the token once it settles, or pays afresh if it failed. ` +
        `To inspect it: lncli trackpayment ${paymentHash}. Only if it never resolves, ` +
        `"satgate tokens rm ${origin}" discards the pending record (a late settlement is then lost).`,
    );
  }
}

/**
 * The invoice pays for a different hash than the macaroon's identifier commits to: paying it would not
 * make the token valid, so a server (or a man in the middle) sending this gets nothing.
 */
export class HashMismatchError extends L402ClientError {
  constructor(
    readonly invoiceHash: string,
    readonly identifierHash: string,
  ) {
    super(
      'hash_mismatch',
      `refusing to pay: the invoice's payment hash ${invoiceHash} differs from the macaroon identifier's ${identifierHash}`,
    );
  }
}

/** The node reported success but the preimage does not hash to the payment hash — the token would be useless. */
export class PreimageMismatchError extends L402ClientError {
  constructor(readonly paymentHash: string) {
    super('preimage_mismatch', `the preimage returned for payment ${paymentHash} does not hash to it`);
  }
}

/** A `WWW-Authenticate` L402/LSAT challenge we could not use (missing or undecodable macaroon/invoice). */
export class MalformedChallengeError extends L402ClientError {
  constructor(detail: string) {
    super('malformed_challenge', `the server's L402 challenge is unusable: ${detail}`);
  }
}

/** The invoice cannot be paid as asked: no amount, already expired, or for another network than the node's. */
export class InvoiceRefusedError extends L402ClientError {
  constructor(reason: 'no_amount' | 'expired' | 'wrong_network' | 'undecodable', detail: string) {
    super(reason, `refusing the invoice: ${detail}`);
  }
}

/** A payment is needed but no Lightning node was configured; a usage problem, not a server problem. */
export class WalletNotConfiguredError extends L402ClientError {
  constructor(detail: string) {
    super('wallet_not_configured', detail);
  }
}

/** Whole sats print as integers; fractional (msat-priced) invoices keep their three decimals. */
function formatSats(sats: number): string {
  return Number.isInteger(sats) ? String(sats) : sats.toFixed(3);
}
