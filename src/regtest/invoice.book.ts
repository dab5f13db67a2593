import type { InvoiceRecord } from './node.store';

/** Receives invoice updates for one subscription (a gRPC stream writes them out). */
export type InvoiceSink = (invoice: InvoiceRecord) => void;

interface GeneralSubscriber {
  addIndex: number;
  settleIndex: number;
  sink: InvoiceSink;
}

/**
 * A node's invoices plus the two subscription flavours LND offers, with LND's delivery rules
 * (lnd invoices/invoiceregistry.go):
 * - SubscribeInvoices(add_index, settle_index): first a backlog — when add_index > 0 every invoice added
 *   after it, when settle_index > 0 every invoice settled after it, each in its current state — then live
 *   events. Only OPEN (added) and SETTLED events reach these subscribers; an event whose index the
 *   subscriber already saw is skipped.
 * - SubscribeSingleInvoice(hash): the current state first (nothing yet if the invoice does not exist), then
 *   every state change of that invoice, including CANCELED.
 * Backlog and registration happen in one synchronous step, so no event falls between them.
 */
export class InvoiceBook {
  private readonly byHash = new Map<string, InvoiceRecord>();
  private readonly byAddIndex: InvoiceRecord[] = [];
  private readonly bySettleIndex: InvoiceRecord[] = [];
  private readonly general = new Set<GeneralSubscriber>();
  private readonly single = new Map<string, Set<InvoiceSink>>();

  /** @param loaded invoices read from disk, in add order. */
  constructor(loaded: InvoiceRecord[]) {
    for (const inv of loaded) this.byHash.set(inv.paymentHash, inv);
    this.byAddIndex.push(...[...loaded].sort((a, b) => a.addIndex - b.addIndex));
    this.bySettleIndex.push(
      ...loaded.filter((i) => i.state === 'SETTLED').sort((a, b) => a.settleIndex - b.settleIndex),
    );
  }

  /** The invoice with this payment hash (hex), if any. */
  get(paymentHash: string): InvoiceRecord | undefined {
    return this.byHash.get(paymentHash);
  }

  /** How many invoices the node has (LND answers differently when it has none at all). */
  get size(): number {
    return this.byHash.size;
  }

  /** All invoices in add order (for ListInvoices and expiry scheduling at start). */
  all(): readonly InvoiceRecord[] {
    return this.byAddIndex;
  }

  /** Records a new invoice and tells subscribers. */
  add(invoice: InvoiceRecord): void {
    this.byHash.set(invoice.paymentHash, invoice);
    this.byAddIndex.push(invoice);
    this.notify(invoice);
  }

  /** Tells subscribers about a state change already applied to `invoice` (settled or canceled). */
  changed(invoice: InvoiceRecord): void {
    if (invoice.state === 'SETTLED') this.bySettleIndex.push(invoice);
    this.notify(invoice);
  }

  /** SubscribeInvoices; returns the unsubscribe function. */
  subscribe(addIndex: number, settleIndex: number, sink: InvoiceSink): () => void {
    if (addIndex > 0) {
      for (const inv of this.byAddIndex.slice(firstAbove(this.byAddIndex, addIndex, (i) => i.addIndex))) {
        if (inv.state === 'OPEN' || inv.state === 'SETTLED') sink(inv);
      }
    }
    if (settleIndex > 0) {
      for (const inv of this.bySettleIndex.slice(firstAbove(this.bySettleIndex, settleIndex, (i) => i.settleIndex))) {
        sink(inv);
      }
    }
    const sub: GeneralSubscriber = { addIndex, settleIndex, sink };
    this.general.add(sub);
    return () => this.general.delete(sub);
  }

  /** SubscribeSingleInvoice; sends the current state first when the invoice exists. */
  subscribeSingle(paymentHash: string, sink: InvoiceSink): () => void {
    const current = this.byHash.get(paymentHash);
    if (current) sink(current);
    let sinks = this.single.get(paymentHash);
    if (!sinks) this.single.set(paymentHash, (sinks = new Set()));
    sinks.add(sink);
    return () => {
      sinks.delete(sink);
      if (sinks.size === 0 && this.single.get(paymentHash) === sinks) this.single.delete(paymentHash);
    };
  }

  private notify(inv: InvoiceRecord): void {
    for (const sink of [...(this.single.get(inv.paymentHash) ?? [])]) sink(inv);
    for (const sub of [...this.general]) {
      if (inv.state === 'SETTLED') {
        if (sub.settleIndex >= inv.settleIndex) continue;
        sub.settleIndex = inv.settleIndex;
      } else if (inv.state === 'OPEN') {
        if (sub.addIndex >= inv.addIndex) continue;
        sub.addIndex = inv.addIndex;
      } else {
        continue;
      }
      sub.sink(inv);
    }
  }
}

/** Position of the first element whose key is greater than `after` (arrays are sorted by that key). */
function firstAbove(list: InvoiceRecord[], after: number, key: (i: InvoiceRecord) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(list[mid]) <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
