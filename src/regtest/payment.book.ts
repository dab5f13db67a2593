import type { PaymentRecord } from './node.store';

/** Receives updates of one tracked payment (a TrackPaymentV2 / SendPaymentV2 stream writes them out). */
export type PaymentSink = (payment: PaymentRecord) => void;

/**
 * A node's outgoing payments keyed by payment hash, in payment-index order, with TrackPaymentV2 listeners.
 * Like LND's control tower, a hash has at most one payment; a FAILED one may be retried, which replaces it
 * (under a new payment index).
 */
export class PaymentBook {
  private readonly byHash = new Map<string, PaymentRecord>();
  private ordered: PaymentRecord[] = [];
  private readonly trackers = new Map<string, Set<PaymentSink>>();

  constructor(loaded: PaymentRecord[]) {
    for (const p of [...loaded].sort((a, b) => a.paymentIndex - b.paymentIndex)) {
      this.byHash.set(p.paymentHash, p);
      this.ordered.push(p);
    }
  }

  /** The payment for this hash, if one was ever initiated. */
  get(paymentHash: string): PaymentRecord | undefined {
    return this.byHash.get(paymentHash);
  }

  /** Records a new payment (or the retry of a failed one) and tells trackers. */
  put(payment: PaymentRecord): void {
    const previous = this.byHash.get(payment.paymentHash);
    if (previous) this.ordered = this.ordered.filter((p) => p !== previous);
    this.byHash.set(payment.paymentHash, payment);
    this.ordered.push(payment);
    this.changed(payment);
  }

  /** Tells trackers about a state change already applied to `payment`. */
  changed(payment: PaymentRecord): void {
    for (const sink of [...(this.trackers.get(payment.paymentHash) ?? [])]) sink(payment);
  }

  /** Listens for updates of one payment; returns the unsubscribe function. */
  track(paymentHash: string, sink: PaymentSink): () => void {
    let sinks = this.trackers.get(paymentHash);
    if (!sinks) this.trackers.set(paymentHash, (sinks = new Set()));
    sinks.add(sink);
    return () => {
      sinks.delete(sink);
      if (sinks.size === 0 && this.trackers.get(paymentHash) === sinks) this.trackers.delete(paymentHash);
    };
  }

  /**
   * ListPayments paging over payment indexes (LND: index_offset is exclusive, reversed pages backwards,
   * creation dates in unix seconds, inclusive, 0 = unbounded).
   */
  list(opts: {
    indexOffset: number;
    max: number;
    reversed: boolean;
    includeIncomplete: boolean;
    createdFromSec?: number;
    createdUntilSec?: number;
  }): PaymentRecord[] {
    const from = opts.createdFromSec ?? 0;
    const until = opts.createdUntilSec || Number.MAX_SAFE_INTEGER;
    const eligible = this.ordered.filter((p) => {
      const created = Number(BigInt(p.creationTimeNs) / 1_000_000_000n);
      return (opts.includeIncomplete || p.status === 'SUCCEEDED') && created >= from && created <= until;
    });
    const max = opts.max > 0 ? opts.max : Number.MAX_SAFE_INTEGER;
    if (opts.reversed) {
      const before = opts.indexOffset > 0 ? eligible.filter((p) => p.paymentIndex < opts.indexOffset) : eligible;
      return before.slice(Math.max(0, before.length - max));
    }
    return eligible.filter((p) => p.paymentIndex > opts.indexOffset).slice(0, max);
  }

  /** Number of payments recorded. */
  get size(): number {
    return this.byHash.size;
  }
}
