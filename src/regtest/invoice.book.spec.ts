import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvoiceBook } from './invoice.book';
import type { InvoiceRecord, InvoiceState } from './node.store';

function invoice(addIndex: number, state: InvoiceState = 'OPEN', settleIndex = 0): InvoiceRecord {
  return {
    paymentHash: addIndex.toString(16).padStart(64, '0'),
    preimage: '00'.repeat(32),
    paymentAddr: '11'.repeat(32),
    memo: `#${addIndex}`,
    descriptionHash: '',
    valueMsat: '1000',
    createdAtSec: 1_700_000_000,
    expirySec: 3600,
    cltvExpiry: 80,
    paymentRequest: 'lnbcrt...',
    isPrivate: false,
    addIndex,
    settleIndex,
    settledAtSec: settleIndex ? 1_700_000_100 : 0,
    state,
    amtPaidMsat: settleIndex ? '1000' : '0',
  };
}

const settle = (book: InvoiceBook, inv: InvoiceRecord, settleIndex: number) => {
  inv.state = 'SETTLED';
  inv.settleIndex = settleIndex;
  book.changed(inv);
};

describe('InvoiceBook subscriptions (LND SubscribeInvoices semantics)', () => {
  it('sends no backlog for indexes 0, then live adds and settles', { timeout: 20000 }, () => {
    const book = new InvoiceBook([invoice(1, 'SETTLED', 1)]);
    const seen: string[] = [];
    book.subscribe(0, 0, (i) => seen.push(`${i.state}:${i.addIndex}`));
    const two = invoice(2);
    book.add(two);
    settle(book, two, 2);
    assert.deepEqual(seen, ['OPEN:2', 'SETTLED:2']);
  });

  it('replays invoices settled after settle_index, in settle order, and nothing older', { timeout: 20000 }, () => {
    const a = invoice(1, 'SETTLED', 2);
    const b = invoice(2, 'SETTLED', 1);
    const c = invoice(3, 'SETTLED', 3);
    const book = new InvoiceBook([a, b, c, invoice(4)]);
    const seen: number[] = [];
    book.subscribe(0, 1, (i) => seen.push(i.settleIndex));
    assert.deepEqual(seen, [2, 3]);
  });

  it('replays invoices added after add_index in their current state, skipping canceled ones', { timeout: 20000 }, () => {
    const book = new InvoiceBook([invoice(1), invoice(2, 'SETTLED', 1), invoice(3, 'CANCELED'), invoice(4)]);
    const seen: string[] = [];
    book.subscribe(1, 0, (i) => seen.push(`${i.state}:${i.addIndex}`));
    assert.deepEqual(seen, ['SETTLED:2', 'OPEN:4']);
  });

  it('does not send a live settle event the subscriber already got from its backlog index', { timeout: 20000 }, () => {
    const book = new InvoiceBook([]);
    const inv = invoice(1);
    book.add(inv);
    const seen: number[] = [];
    book.subscribe(0, 5, (i) => seen.push(i.settleIndex));
    settle(book, inv, 5);
    assert.deepEqual(seen, []);
  });

  it('single-invoice subscribers get the current state first, then every change including CANCELED', { timeout: 20000 }, () => {
    const inv = invoice(1);
    const book = new InvoiceBook([inv]);
    const seen: InvoiceState[] = [];
    const stop = book.subscribeSingle(inv.paymentHash, (i) => seen.push(i.state));
    inv.state = 'CANCELED';
    book.changed(inv);
    stop();
    book.changed(inv);
    assert.deepEqual(seen, ['OPEN', 'CANCELED']);
  });

  it('single-invoice subscription to a not-yet-existing invoice waits for its creation', { timeout: 20000 }, () => {
    const book = new InvoiceBook([]);
    const inv = invoice(7);
    const seen: number[] = [];
    book.subscribeSingle(inv.paymentHash, (i) => seen.push(i.addIndex));
    assert.deepEqual(seen, []);
    book.add(inv);
    assert.deepEqual(seen, [7]);
  });
});
