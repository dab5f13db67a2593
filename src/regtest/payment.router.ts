import { status } from '@grpc/grpc-js';
import { decodeInvoice, type ParsedPaymentRequest } from './bolt11.codec';
import type { AttemptRecord, PaymentRecord } from './node.store';
import type { RegtestNode } from './regtest.node';
import { LND_ERRORS, RpcError } from './rpc.errors';

/** How a test ends a held payment: the receiver settles it, or fails it back (as a canceled hold invoice). */
export type HoldOutcome = 'settle' | 'fail';

/** A test's grip on the payments to one payment hash (see PaymentRouter.hold). */
export interface PaymentHold {
  /**
   * Lets the held payment go on to `outcome`; resolves once its final state is stored (at once when no
   * payment reached the hold). The hold is gone afterwards.
   */
  release(outcome: HoldOutcome): Promise<void>;
}

interface HoldEntry {
  outcome: Promise<HoldOutcome>;
  open(outcome: HoldOutcome): void;
  /** Set while a payment waits at this hold; resolves when that payment has its final state. */
  waiting?: Promise<unknown>;
}

/** SendPaymentV2's inputs that matter in a one-channel network. */
export interface PaymentOrder {
  paymentRequest: string;
  amtMsat: bigint;
  timeoutSeconds: number;
}

/**
 * Routes payments between the nodes of one network. The network is a single direct channel, so a route is
 * one hop with zero fee; what this reproduces faithfully is LND's decision tree and its answers:
 * - request problems (undecodable, wrong network, expired, amount rules) -> a gRPC error before any payment
 *   exists, as routerrpc does;
 * - a hash already paid / in flight -> ALREADY_EXISTS "invoice is already paid" / "payment is in transition";
 * - destination not in the network (or ourselves) -> FAILED, FAILURE_REASON_NO_ROUTE;
 * - amount above the local balance -> FAILED, FAILURE_REASON_INSUFFICIENT_BALANCE;
 * - the receiver refuses the HTLC (unknown hash, settled/canceled/expired invoice, wrong amount) -> FAILED,
 *   FAILURE_REASON_INCORRECT_PAYMENT_DETAILS with one failed attempt;
 * - otherwise SUCCEEDED with the preimage, balances moved and the receiver's invoice settled.
 * Real networks also have payments that stay in flight for a long time (a stuck HTLC, a hold invoice); the
 * regtest network settles everything at once, so tests that need such a payment `hold` its hash.
 */
export class PaymentRouter {
  private readonly holds = new Map<string, HoldEntry>();

  constructor(private readonly nodes: () => RegtestNode[]) {}

  /**
   * Test hook: a payment to `paymentHash` stops with its HTLC in transit — IN_FLIGHT on the payer, with one
   * IN_FLIGHT attempt, exactly what TrackPaymentV2 shows for a stuck payment; the receiver's invoice stays
   * OPEN — until the returned hold is released. Nothing reachable over gRPC creates holds.
   */
  hold(paymentHash: string): PaymentHold {
    if (this.holds.has(paymentHash)) throw new Error(`payment ${paymentHash} is already held`);
    let open!: (o: HoldOutcome) => void;
    const entry: HoldEntry = { outcome: new Promise<HoldOutcome>((r) => (open = r)), open: (o) => open(o) };
    this.holds.set(paymentHash, entry);
    return {
      release: async (outcome) => {
        if (this.holds.get(paymentHash) === entry) this.holds.delete(paymentHash);
        entry.open(outcome);
        await entry.waiting;
      },
    };
  }

  /** Fails every held payment back (network stop), so no payment or stream is left hanging. */
  async releaseAll(): Promise<void> {
    const entries = [...this.holds.values()];
    this.holds.clear();
    for (const e of entries) e.open('fail');
    await Promise.all(entries.map((e) => e.waiting));
  }

  /**
   * Validates and executes a payment from `payer`; resolves once the outcome is persisted. `onCreated` sees
   * the payment as soon as it exists (IN_FLIGHT), which is when LND's SendPaymentV2 sends its first update.
   */
  async pay(payer: RegtestNode, order: PaymentOrder, onCreated?: (payment: PaymentRecord) => void): Promise<PaymentRecord> {
    if (order.timeoutSeconds <= 0) throw RpcError.unknown('timeout_seconds must be specified');
    const req = this.decode(order.paymentRequest);
    const amountMsat = this.amountOf(req, order.amtMsat);
    const existing = payer.payments.get(req.id);
    if (existing?.status === 'SUCCEEDED') throw new RpcError(status.ALREADY_EXISTS, LND_ERRORS.alreadyPaid);
    if (existing?.status === 'IN_FLIGHT') throw new RpcError(status.ALREADY_EXISTS, LND_ERRORS.paymentInFlight);

    const nowNs = () => (BigInt(Date.now()) * 1_000_000n).toString();
    const payment: PaymentRecord = {
      paymentHash: req.id,
      paymentRequest: order.paymentRequest,
      valueMsat: amountMsat.toString(),
      feeMsat: '0',
      creationTimeNs: nowNs(),
      status: 'IN_FLIGHT',
      failureReason: 'FAILURE_REASON_NONE',
      paymentIndex: payer.nextPaymentIndex(),
      preimage: '',
    };
    payer.payments.put(payment);
    onCreated?.(payment);

    const destination = this.nodes().find((n) => n.pubkey === req.destination);
    if (!destination || destination === payer) return this.fail(payer, payment, 'FAILURE_REASON_NO_ROUTE');
    if (amountMsat > payer.balanceMsat) return this.fail(payer, payment, 'FAILURE_REASON_INSUFFICIENT_BALANCE');

    const attempt = {
      attemptId: payer.nextAttemptId(),
      attemptTimeNs: nowNs(),
      destination: destination.pubkey,
      chanId: payer.chain.chanId,
      amountMsat: amountMsat.toString(),
      totalTimeLock: payer.chain.blockHeight + (req.cltv_delta || 18),
      paymentAddr: req.payment ?? '',
    };
    const hold = this.holds.get(req.id);
    if (hold && !hold.waiting) {
      payment.attempt = { ...attempt, status: 'IN_FLIGHT', resolveTimeNs: '0' };
      payer.payments.changed(payment);
      const done = hold.outcome.then((outcome) => {
        if (outcome === 'settle') return this.deliver(payer, destination, payment, attempt, req, amountMsat);
        payment.attempt = { ...attempt, status: 'FAILED', resolveTimeNs: nowNs() }; // as a canceled hold invoice
        return this.fail(payer, payment, 'FAILURE_REASON_INCORRECT_PAYMENT_DETAILS');
      });
      hold.waiting = done.catch(() => undefined);
      return done;
    }
    return this.deliver(payer, destination, payment, attempt, req, amountMsat);
  }

  /** Hands the HTLC to the receiver and records what it answered. */
  private async deliver(
    payer: RegtestNode,
    destination: RegtestNode,
    payment: PaymentRecord,
    attempt: Omit<AttemptRecord, 'status' | 'resolveTimeNs'>,
    req: ParsedPaymentRequest,
    amountMsat: bigint,
  ): Promise<PaymentRecord> {
    const nowNs = () => (BigInt(Date.now()) * 1_000_000n).toString();
    if (amountMsat > payer.balanceMsat) {
      // Only after a hold: another payment spent the balance meanwhile.
      payment.attempt = undefined;
      return this.fail(payer, payment, 'FAILURE_REASON_INSUFFICIENT_BALANCE');
    }
    const accepted = destination.receiveHtlc(req.id, req.payment ?? '', amountMsat);
    if (!accepted) {
      payment.attempt = { ...attempt, status: 'FAILED', resolveTimeNs: nowNs() };
      return this.fail(payer, payment, 'FAILURE_REASON_INCORRECT_PAYMENT_DETAILS');
    }
    payer.debit(amountMsat);
    payment.attempt = { ...attempt, status: 'SUCCEEDED', resolveTimeNs: nowNs() };
    payment.status = 'SUCCEEDED';
    payment.preimage = accepted.preimage;
    payer.payments.changed(payment);
    await Promise.all([
      payer.persist({ payment }),
      destination.persist({ invoice: destination.invoices.get(req.id) }),
    ]);
    return payment;
  }

  private async fail(payer: RegtestNode, payment: PaymentRecord, reason: string): Promise<PaymentRecord> {
    payment.status = 'FAILED';
    payment.failureReason = reason;
    payer.payments.changed(payment);
    await payer.persist({ payment });
    return payment;
  }

  private decode(request: string): ParsedPaymentRequest {
    let req: ParsedPaymentRequest;
    try {
      req = decodeInvoice(request);
    } catch (err) {
      throw RpcError.unknown(`invalid payment request: ${(err as Error).message}`);
    }
    if (req.network !== 'regtest') throw RpcError.unknown(`invoice not for current active network 'regtest'`);
    if (Date.parse(req.expires_at) <= Date.now()) {
      throw RpcError.unknown(`invoice expired. Valid until ${goTime(new Date(req.expires_at))}`);
    }
    return req;
  }

  private amountOf(req: ParsedPaymentRequest, amtMsat: bigint): bigint {
    const invoiceMsat = BigInt(req.mtokens || '0');
    if (invoiceMsat === 0n && amtMsat === 0n) {
      throw RpcError.unknown('amount must be specified when paying a zero amount invoice');
    }
    if (invoiceMsat > 0n && amtMsat > 0n) {
      throw RpcError.unknown('amount must not be specified when paying a non-zero amount invoice');
    }
    return invoiceMsat > 0n ? invoiceMsat : amtMsat;
  }
}

/** Go's default time formatting, as LND prints it in "invoice expired. Valid until ...". */
function goTime(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`;
}
