import { status } from '@grpc/grpc-js';

/**
 * An error answered as a gRPC status. LND returns most failures as plain Go errors, which grpc-go sends as
 * UNKNOWN with the error text as details; clients (the `lightning` package included) match on that text, so
 * every `details` here is LND's own wording.
 */
export class RpcError extends Error {
  constructor(
    readonly code: status,
    readonly details: string,
  ) {
    super(details);
  }

  /** A plain Go error as LND returns it (UNKNOWN + text). */
  static unknown(details: string): RpcError {
    return new RpcError(status.UNKNOWN, details);
  }
}

/** LND's texts for the errors this simulation reproduces. */
export const LND_ERRORS = {
  invoiceNotFound: 'unable to locate invoice',
  noInvoicesCreated: 'there are no existing invoices',
  duplicateInvoice: 'invoice with payment hash already exists',
  alreadyPaid: 'invoice is already paid',
  paymentInFlight: 'payment is in transition',
  paymentNotInitiated: "payment isn't initiated",
  permissionDenied: 'permission denied',
} as const;
