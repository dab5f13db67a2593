import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AtomicJsonFile, JsonDirectoryWriter } from './json-file.store';

/** LND's invoice states (lnrpc.Invoice.InvoiceState) that the simulated node uses. */
export type InvoiceState = 'OPEN' | 'SETTLED' | 'CANCELED';

/** The HTLC that paid an invoice (one per payment in this single-channel network). */
export interface InvoiceHtlcRecord {
  chanId: string;
  htlcIndex: number;
  amtMsat: string;
  acceptHeight: number;
  acceptTimeSec: number;
  resolveTimeSec: number;
  expiryHeight: number;
}

/** An invoice as the receiving node stores it; field meanings follow lnrpc.Invoice. */
export interface InvoiceRecord {
  paymentHash: string;
  preimage: string;
  paymentAddr: string;
  memo: string;
  descriptionHash: string;
  valueMsat: string;
  createdAtSec: number;
  expirySec: number;
  cltvExpiry: number;
  paymentRequest: string;
  isPrivate: boolean;
  addIndex: number;
  settleIndex: number;
  settledAtSec: number;
  state: InvoiceState;
  amtPaidMsat: string;
  htlc?: InvoiceHtlcRecord;
}

/** LND's payment statuses (lnrpc.Payment.PaymentStatus) that the simulated node uses. */
export type PaymentStatus = 'IN_FLIGHT' | 'SUCCEEDED' | 'FAILED';

/**
 * The single HTLC attempt of a payment (the network is one direct channel, so one attempt suffices).
 * IN_FLIGHT only while a test holds it (PaymentRouter.hold); it is never persisted in that state.
 */
export interface AttemptRecord {
  attemptId: number;
  status: 'IN_FLIGHT' | 'SUCCEEDED' | 'FAILED';
  attemptTimeNs: string;
  resolveTimeNs: string;
  destination: string;
  chanId: string;
  amountMsat: string;
  totalTimeLock: number;
  paymentAddr: string;
}

/** An outgoing payment as the paying node stores it; field meanings follow lnrpc.Payment. */
export interface PaymentRecord {
  paymentHash: string;
  paymentRequest: string;
  valueMsat: string;
  feeMsat: string;
  creationTimeNs: string;
  status: PaymentStatus;
  failureReason: string;
  paymentIndex: number;
  preimage: string;
  attempt?: AttemptRecord;
}

/** A node's own scalar state: keys, balance and the monotonically increasing indexes LND keeps. */
export interface NodeRecord {
  version: 1;
  alias: string;
  color: string;
  privateKey: string;
  macaroonRootKey: string;
  balanceMsat: string;
  addIndex: number;
  settleIndex: number;
  paymentIndex: number;
  htlcIndex: number;
  attemptIndex: number;
}

/** Everything a node persisted, as loaded at start. */
export interface LoadedNode {
  node: NodeRecord;
  invoices: InvoiceRecord[];
  payments: PaymentRecord[];
}

/**
 * One node's persistent state under its directory: `node.json`, `invoices/<hash>.json`,
 * `payments/<hash>.json`. One file per record keeps every write O(1) however many invoices exist, and each
 * file is replaced atomically.
 */
export class NodeStore {
  private readonly nodeFile: AtomicJsonFile<NodeRecord>;
  private readonly records = new JsonDirectoryWriter();

  constructor(readonly dir: string) {
    this.nodeFile = new AtomicJsonFile<NodeRecord>(join(dir, 'node.json'));
  }

  /** Loads the node, creating it (fresh key, root key, `initialBalanceMsat`) on first start. */
  loadOrCreate(alias: string, color: string, initialBalanceMsat: bigint): LoadedNode {
    mkdirSync(join(this.dir, 'invoices'), { recursive: true, mode: 0o700 });
    mkdirSync(join(this.dir, 'payments'), { recursive: true, mode: 0o700 });
    let node = this.nodeFile.read();
    if (!node) {
      node = {
        version: 1,
        alias,
        color,
        privateKey: randomBytes(32).toString('hex'),
        macaroonRootKey: randomBytes(32).toString('hex'),
        balanceMsat: initialBalanceMsat.toString(),
        addIndex: 0,
        settleIndex: 0,
        paymentIndex: 0,
        htlcIndex: 0,
        attemptIndex: 0,
      };
      this.nodeFile.writeSync(node);
    }
    return {
      node,
      invoices: readRecords<InvoiceRecord>(join(this.dir, 'invoices')).sort((a, b) => a.addIndex - b.addIndex),
      payments: readRecords<PaymentRecord>(join(this.dir, 'payments')).sort((a, b) => a.paymentIndex - b.paymentIndex),
    };
  }

  /** Persists the node's scalar state. */
  saveNode(node: NodeRecord): Promise<void> {
    return this.nodeFile.write({ ...node });
  }

  /** Persists one invoice. */
  saveInvoice(invoice: InvoiceRecord): Promise<void> {
    return this.records.write(join(this.dir, 'invoices', `${invoice.paymentHash}.json`), { ...invoice });
  }

  /** Persists one payment. */
  savePayment(payment: PaymentRecord): Promise<void> {
    return this.records.write(join(this.dir, 'payments', `${payment.paymentHash}.json`), { ...payment });
  }

  /** Waits for every scheduled write (used by a clean stop). */
  async flush(): Promise<void> {
    await Promise.all([this.nodeFile.flush(), this.records.flush()]);
  }
}

function readRecords<T>(dir: string): T[] {
  return readdirSync(dir)
    .filter((name) => /^[0-9a-f]{64}\.json$/.test(name))
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as T);
}
