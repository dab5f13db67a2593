/**
 * Errors of the Lightning layer, typed so callers can answer correctly without parsing strings:
 * LightningUnavailableError -> 503 + Retry-After (node down, unreachable, TLS refused, call timed out);
 * LightningPaymentError -> a payment that did not happen, with a machine-readable `failure`;
 * LightningError -> anything else the node refused (bad request, permission denied...).
 * Messages never contain credentials or preimages.
 */
export class LightningError extends Error {
  /**
   * @param reason the `lightning` package's reason code (e.g. `AddInvoiceError`) or our own.
   * @param grpcCode gRPC status code of the underlying call, when there was one.
   * @param details LND's error text, when there was one.
   */
  constructor(
    message: string,
    readonly reason: string,
    readonly grpcCode?: number,
    readonly details?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The node could not be reached or did not answer in time; retrying later may succeed. */
export class LightningUnavailableError extends LightningError {}

/** Why a payment failed, as LND reports it. */
export type PaymentFailure =
  | 'already_paid'
  | 'in_flight'
  | 'expired'
  | 'no_route'
  | 'insufficient_balance'
  | 'rejected'
  | 'timeout'
  | 'canceled'
  | 'invalid_request'
  | 'unknown';

/** A payment that failed (nothing was paid, or — for `already_paid` — it had been paid before). */
export class LightningPaymentError extends LightningError {
  constructor(
    message: string,
    readonly failure: PaymentFailure,
    reason: string,
    grpcCode?: number,
    details?: string,
  ) {
    super(message, reason, grpcCode, details);
  }
}

const UNAVAILABLE_CODES = new Set([4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */]);
const UNAVAILABLE_REASONS = new Set(['FailedToConnectToDaemon', 'LndLocked']);

interface Unpacked {
  status?: number;
  reason: string;
  grpcCode?: number;
  details?: string;
}

/** Reads the `lightning` package's `[status, reason, {err}]` error arrays (and plain Errors). */
export function unpackLightningError(err: unknown): Unpacked {
  if (err instanceof LightningError) {
    return { reason: err.reason, grpcCode: err.grpcCode, details: err.details };
  }
  if (Array.isArray(err)) {
    const [status, reason, extra] = err as [number, string, { err?: { code?: number; details?: string } }?];
    const inner = extra?.err;
    return {
      status,
      reason: String(reason),
      grpcCode: typeof inner?.code === 'number' ? inner.code : undefined,
      details: typeof inner?.details === 'string' ? inner.details : undefined,
    };
  }
  const e = err as { code?: unknown; details?: unknown; message?: unknown };
  return {
    reason: typeof e?.message === 'string' ? e.message : String(err),
    grpcCode: typeof e?.code === 'number' ? e.code : undefined,
    details: typeof e?.details === 'string' ? e.details : undefined,
  };
}

/** True when the error means "the node is not reachable right now". */
export function isUnavailable(u: Unpacked): boolean {
  return (u.grpcCode !== undefined && UNAVAILABLE_CODES.has(u.grpcCode)) || UNAVAILABLE_REASONS.has(u.reason);
}

/** Converts anything thrown by the `lightning` package into a LightningError (or its unavailable subtype). */
export function toLightningError(err: unknown, action: string): LightningError {
  if (err instanceof LightningError) return err;
  const u = unpackLightningError(err);
  const what = u.details ? `${u.reason}: ${u.details}` : u.reason;
  if (isUnavailable(u)) {
    return new LightningUnavailableError(`lightning node unavailable (${action}): ${what}`, u.reason, u.grpcCode, u.details);
  }
  return new LightningError(`lightning ${action} failed: ${what}`, u.reason, u.grpcCode, u.details);
}

const PAYMENT_FAILURES: Record<string, PaymentFailure> = {
  InsufficientBalanceToAttemptPayment: 'insufficient_balance',
  PaymentPathfindingFailedToFindPossibleRoute: 'no_route',
  FailedToFindPayableRouteToDestination: 'no_route',
  PaymentRejectedByDestination: 'rejected',
  PaymentAttemptsTimedOut: 'timeout',
  PaymentExecutionCanceled: 'canceled',
  ExpectedValidPaymentRequestToMakePayment: 'invalid_request',
};

/** Converts a failed `pay` into a LightningPaymentError (or LightningUnavailableError). */
export function toPaymentError(err: unknown): LightningError {
  if (err instanceof LightningError) return err;
  const u = unpackLightningError(err);
  if (isUnavailable(u)) return toLightningError(err, 'pay');
  let failure: PaymentFailure = PAYMENT_FAILURES[u.reason] ?? 'unknown';
  if (u.details === 'invoice is already paid') failure = 'already_paid';
  else if (u.details === 'payment is in transition') failure = 'in_flight';
  else if (u.details?.startsWith('invoice expired')) failure = 'expired';
  const what = u.details ? `${u.reason}: ${u.details}` : u.reason;
  return new LightningPaymentError(`payment failed (${failure}): ${what}`, failure, u.reason, u.grpcCode, u.details);
}
