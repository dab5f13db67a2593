import { status } from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { InvoiceBook } from './invoice.book';
import { MacaroonVerifier } from './lnd.macaroon';
import { nodePublicKey, sha256, signInvoice } from './bolt11.codec';
import type { InvoiceRecord, NodeRecord, NodeStore, PaymentRecord } from './node.store';
import { PaymentBook } from './payment.book';
import { LND_ERRORS, RpcError } from './rpc.errors';

/** The chain and the single channel every node of the network shares. */
export interface ChainState {
  blockHeight: number;
  blockHash: string;
  bestHeaderTimestamp: number;
  /** Numeric short channel id of the payer<->merchant channel. */
  chanId: string;
  capacityMsat: string;
}

/** AddInvoice's inputs after decoding the request. */
export interface NewInvoice {
  valueMsat: bigint;
  memo: string;
  descriptionHash?: Buffer;
  expirySec: number;
  preimage?: Buffer;
  cltvExpiry: number;
  isPrivate: boolean;
}

/** LND's defaults and limits for invoices (lnrpc/invoicesrpc/addinvoice.go). */
export const INVOICE_DEFAULTS = { expirySec: 86400, maxExpirySec: 365 * 24 * 3600, cltvExpiry: 80, maxMemo: 639 };

/**
 * One simulated LND node: its key, macaroon root key, channel balance, invoices and payments, with every
 * change persisted through its NodeStore before the RPC that caused it answers. Invoice expiry is honoured
 * the way LND does it: an OPEN invoice past its expiry becomes CANCELED (and single-invoice subscribers
 * hear about it).
 */
export class RegtestNode {
  readonly pubkey: string;
  readonly privateKey: Buffer;
  readonly verifier: MacaroonVerifier;
  readonly invoices: InvoiceBook;
  readonly payments: PaymentBook;
  private readonly expiryTimers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    readonly name: 'merchant' | 'payer',
    readonly store: NodeStore,
    private readonly record: NodeRecord,
    invoices: InvoiceRecord[],
    payments: PaymentRecord[],
    readonly chain: ChainState,
  ) {
    this.privateKey = Buffer.from(record.privateKey, 'hex');
    this.pubkey = nodePublicKey(this.privateKey);
    this.verifier = new MacaroonVerifier(Buffer.from(record.macaroonRootKey, 'hex'));
    this.invoices = new InvoiceBook(invoices);
    this.payments = new PaymentBook(payments);
    for (const inv of this.invoices.all()) if (inv.state === 'OPEN') this.scheduleExpiry(inv);
  }

  /** The node alias and color (GetInfo). */
  get alias(): string {
    return this.record.alias;
  }
  get color(): string {
    return this.record.color;
  }
  /** Local channel balance in msat. */
  get balanceMsat(): bigint {
    return BigInt(this.record.balanceMsat);
  }
  /** The latest settle index (LND's settle_index high-water mark). */
  get settleIndex(): number {
    return this.record.settleIndex;
  }

  /** AddInvoice: validates like LND, signs the BOLT11 request, stores and announces the invoice. */
  async addInvoice(req: NewInvoice): Promise<InvoiceRecord> {
    if (req.memo && Buffer.byteLength(req.memo) > INVOICE_DEFAULTS.maxMemo) {
      throw RpcError.unknown(`memo too large: ${Buffer.byteLength(req.memo)} bytes (maxsize=${INVOICE_DEFAULTS.maxMemo})`);
    }
    if (req.valueMsat < 0n) throw RpcError.unknown('payments of negative value are not allowed');
    if (req.expirySec < 0) throw RpcError.unknown('expiry must be positive');
    if (req.expirySec > INVOICE_DEFAULTS.maxExpirySec) {
      throw RpcError.unknown(`expiry of ${req.expirySec} seconds greater than max invoice expiry of ${INVOICE_DEFAULTS.maxExpirySec} seconds`);
    }
    if (req.descriptionHash && req.descriptionHash.length > 0 && req.descriptionHash.length !== 32) {
      throw RpcError.unknown(`description hash is ${req.descriptionHash.length} bytes, must be 32`);
    }
    if (req.preimage && req.preimage.length > 0 && req.preimage.length !== 32) {
      throw RpcError.unknown(`preimage is ${req.preimage.length} bytes, must be 32`);
    }
    const preimage = req.preimage && req.preimage.length === 32 ? req.preimage : randomBytes(32);
    const paymentHash = sha256(preimage).toString('hex');
    if (this.invoices.get(paymentHash)) throw RpcError.unknown(LND_ERRORS.duplicateInvoice);
    const createdAtSec = Math.floor(Date.now() / 1000);
    const expirySec = req.expirySec || INVOICE_DEFAULTS.expirySec;
    const cltvExpiry = req.cltvExpiry || INVOICE_DEFAULTS.cltvExpiry;
    const paymentAddr = randomBytes(32).toString('hex');
    const descriptionHash = req.descriptionHash?.length ? req.descriptionHash.toString('hex') : '';
    const paymentRequest = signInvoice(this.privateKey, {
      paymentHash,
      paymentAddr,
      valueMsat: req.valueMsat,
      memo: req.memo,
      descriptionHash: descriptionHash || undefined,
      createdAtSec,
      expirySec,
      cltvDelta: cltvExpiry,
    });
    this.record.addIndex += 1;
    const invoice: InvoiceRecord = {
      paymentHash,
      preimage: preimage.toString('hex'),
      paymentAddr,
      memo: req.memo,
      descriptionHash,
      valueMsat: req.valueMsat.toString(),
      createdAtSec,
      expirySec,
      cltvExpiry,
      paymentRequest,
      isPrivate: req.isPrivate,
      addIndex: this.record.addIndex,
      settleIndex: 0,
      settledAtSec: 0,
      state: 'OPEN',
      amtPaidMsat: '0',
    };
    this.invoices.add(invoice);
    this.scheduleExpiry(invoice);
    await Promise.all([this.store.saveInvoice(invoice), this.store.saveNode(this.record)]);
    return invoice;
  }

  /** LookupInvoice: the invoice or LND's NOT_FOUND error. */
  lookupInvoice(paymentHash: string): InvoiceRecord {
    const invoice = this.invoices.get(paymentHash);
    if (invoice) return invoice;
    throw new RpcError(status.NOT_FOUND, this.invoices.size ? LND_ERRORS.invoiceNotFound : LND_ERRORS.noInvoicesCreated);
  }

  /**
   * The receiving half of a payment: accepts an HTLC for `paymentHash` when an OPEN, unexpired invoice with
   * that payment address asks for at most `amountMsat` (and not less than it: no overpayment beyond 2x, as
   * LND), settles the invoice and credits the balance. Returns the preimage, or null when LND would fail the
   * HTLC with incorrect_or_unknown_payment_details.
   */
  receiveHtlc(paymentHash: string, paymentAddr: string, amountMsat: bigint): { preimage: string } | null {
    const invoice = this.invoices.get(paymentHash);
    const now = Date.now();
    if (!invoice || invoice.state !== 'OPEN') return null;
    if (now >= (invoice.createdAtSec + invoice.expirySec) * 1000) return null;
    if (invoice.paymentAddr !== paymentAddr) return null;
    const value = BigInt(invoice.valueMsat);
    if (amountMsat < value || (value > 0n && amountMsat > 2n * value)) return null;
    const nowSec = Math.floor(now / 1000);
    this.record.settleIndex += 1;
    this.record.htlcIndex += 1;
    this.record.balanceMsat = (this.balanceMsat + amountMsat).toString();
    invoice.state = 'SETTLED';
    invoice.settleIndex = this.record.settleIndex;
    invoice.settledAtSec = nowSec;
    invoice.amtPaidMsat = amountMsat.toString();
    invoice.htlc = {
      chanId: this.chain.chanId,
      htlcIndex: this.record.htlcIndex,
      amtMsat: amountMsat.toString(),
      acceptHeight: this.chain.blockHeight,
      acceptTimeSec: nowSec,
      resolveTimeSec: nowSec,
      expiryHeight: this.chain.blockHeight + invoice.cltvExpiry,
    };
    this.clearExpiry(paymentHash);
    this.invoices.changed(invoice);
    return { preimage: invoice.preimage };
  }

  /** Moves `amountMsat` out of the local balance (the sending half of a settled HTLC). */
  debit(amountMsat: bigint): void {
    if (amountMsat > this.balanceMsat) throw new Error('insufficient local balance');
    this.record.balanceMsat = (this.balanceMsat - amountMsat).toString();
  }

  /** Allocates the next payment / attempt index. */
  nextPaymentIndex(): number {
    return ++this.record.paymentIndex;
  }
  nextAttemptId(): number {
    return ++this.record.attemptIndex;
  }

  /** Persists the node record, a payment and/or an invoice touched by a payment. */
  persist(parts: { payment?: PaymentRecord; invoice?: InvoiceRecord }): Promise<void> {
    const writes = [this.store.saveNode(this.record)];
    if (parts.payment) writes.push(this.store.savePayment(parts.payment));
    if (parts.invoice) writes.push(this.store.saveInvoice(parts.invoice));
    return Promise.all(writes).then(() => undefined);
  }

  /** Stops expiry timers and waits for pending writes. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.expiryTimers.values()) clearTimeout(t);
    this.expiryTimers.clear();
    await this.store.flush();
  }

  private scheduleExpiry(invoice: InvoiceRecord): void {
    if (this.stopped) return;
    const due = (invoice.createdAtSec + invoice.expirySec) * 1000 - Date.now();
    // setTimeout caps at ~24.8 days; a longer expiry re-arms itself.
    const timer = setTimeout(
      () => {
        this.expiryTimers.delete(invoice.paymentHash);
        if (invoice.state !== 'OPEN') return;
        if (due > 2 ** 31 - 1) return this.scheduleExpiry(invoice);
        this.cancelExpired(invoice);
      },
      Math.max(0, Math.min(due, 2 ** 31 - 1)),
    );
    timer.unref();
    this.expiryTimers.set(invoice.paymentHash, timer);
  }

  private clearExpiry(paymentHash: string): void {
    clearTimeout(this.expiryTimers.get(paymentHash));
    this.expiryTimers.delete(paymentHash);
  }

  private cancelExpired(invoice: InvoiceRecord): void {
    invoice.state = 'CANCELED';
    this.invoices.changed(invoice);
    this.store.saveInvoice(invoice).catch(() => undefined);
  }
}
