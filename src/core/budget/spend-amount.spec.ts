import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeInvoice, newPreimage } from '../../payer/l402.spec-support';
import { UnreadableSpend } from './errors';
import { BOLT11_SPEND, KEYSEND_SPEND, spendOf } from './spend-amount';

/** BOLT 11's own test vectors ("Please send $3 for a cup of coffee", and the zero-amount donation). */
const SPEC_2500U =
  'lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh';
const SPEC_NO_AMOUNT =
  'lnbc1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpl2pkx2ctnv5sxxmmwwd5kgetjypeh2ursdae8g6twvus8g6rfwvs8qun0dfjkxaq8rkx3yf5tcsyz3d73gafnh3cax9rn449d9p5uxz9ezhhypd0elx87sjle52x86fux2ypatgddc6k63n7erqz25le42c4u4ecky03ylcqca784w';
const SPEC_HASH = '0001020304050607080900010203040506070809000102030405060708090102';

function unreadable(body: unknown, rule: typeof BOLT11_SPEND, field: string, message: RegExp): void {
  assert.throws(
    () => spendOf(rule, body),
    (err: unknown) => err instanceof UnreadableSpend && err.field === field && message.test(err.description) && err.status === 400,
  );
}

describe('spendOf bolt11-body', () => {
  it('reads the amount and hash of the BOLT 11 test vector', () => {
    assert.deepEqual(spendOf(BOLT11_SPEND, { invoice: SPEC_2500U }), { amountSat: 250_000, paymentHash: SPEC_HASH });
  });
  it('accepts a lightning: URI prefix and an equal or zero amount field', () => {
    assert.deepEqual(spendOf(BOLT11_SPEND, { invoice: `lightning:${SPEC_2500U}`, amount: 250_000 }), { amountSat: 250_000, paymentHash: SPEC_HASH });
    assert.deepEqual(spendOf(BOLT11_SPEND, { invoice: SPEC_2500U, amount: 0 }), { amountSat: 250_000, paymentHash: SPEC_HASH });
  });
  it('a zero-amount invoice spends the body amount', () => {
    assert.deepEqual(spendOf(BOLT11_SPEND, { invoice: SPEC_NO_AMOUNT, amount: 21 }), { amountSat: 21, paymentHash: SPEC_HASH });
    assert.deepEqual(spendOf(BOLT11_SPEND, { invoice: SPEC_NO_AMOUNT, amount: '21' }), { amountSat: 21, paymentHash: SPEC_HASH });
  });
  it('rounds a sub-sat regtest invoice up to whole sats', () => {
    const { paymentHash } = newPreimage();
    assert.deepEqual(spendOf(BOLT11_SPEND, { invoice: makeInvoice({ paymentHash, msat: 300_001n }) }), { amountSat: 301, paymentHash });
    assert.deepEqual(spendOf(BOLT11_SPEND, { invoice: makeInvoice({ paymentHash, sats: 300 }) }), { amountSat: 300, paymentHash });
  });
  it('honours other field names', () => {
    assert.deepEqual(spendOf({ from: 'bolt11-body', invoiceField: 'payment_request', amountField: 'sats' }, { payment_request: SPEC_NO_AMOUNT, sats: 5 }).amountSat, 5);
  });
  it('refuses what it cannot read, naming the field', () => {
    unreadable(null, BOLT11_SPEND, 'body', /needs a JSON object body/);
    unreadable([SPEC_2500U], BOLT11_SPEND, 'body', /needs a JSON object body/);
    unreadable({}, BOLT11_SPEND, 'invoice', /invoice is required: a BOLT 11 payment request/);
    unreadable({ invoice: 42 }, BOLT11_SPEND, 'invoice', /invoice is required/);
    unreadable({ invoice: 'lnbcrt1notaninvoice' }, BOLT11_SPEND, 'invoice', /invoice is not a valid BOLT 11 payment request/);
    unreadable({ invoice: SPEC_2500U.slice(0, -1) + 'q' }, BOLT11_SPEND, 'invoice', /not a valid BOLT 11/);
    unreadable({ invoice: 'ln' + 'q'.repeat(8000) }, BOLT11_SPEND, 'invoice', /too long/);
    unreadable({ invoice: SPEC_NO_AMOUNT }, BOLT11_SPEND, 'amount', /the invoice has no amount, so amount \(sats\) is required/);
    unreadable({ invoice: SPEC_NO_AMOUNT, amount: -5 }, BOLT11_SPEND, 'amount', /positive whole number of sats/);
    unreadable({ invoice: SPEC_NO_AMOUNT, amount: 1.5 }, BOLT11_SPEND, 'amount', /positive whole number of sats/);
    unreadable({ invoice: SPEC_2500U, amount: 1 }, BOLT11_SPEND, 'amount', /amount \(1\) differs from the invoice's amount \(250000 sats\)/);
  });
});

describe('spendOf keysend-body', () => {
  it('reads amount', () => {
    assert.deepEqual(spendOf(KEYSEND_SPEND, { destination: '02'.padEnd(66, 'a'), amount: 100 }), { amountSat: 100 });
  });
  it('refuses a missing or bad amount', () => {
    unreadable({ destination: 'x' }, KEYSEND_SPEND as typeof BOLT11_SPEND, 'amount', /amount is required: the sats to send/);
    unreadable({ amount: 0 }, KEYSEND_SPEND as typeof BOLT11_SPEND, 'amount', /positive whole number/);
    unreadable({ amount: Number.MAX_SAFE_INTEGER + 2 }, KEYSEND_SPEND as typeof BOLT11_SPEND, 'amount', /positive whole number/);
    unreadable({ amount: '1e3' }, KEYSEND_SPEND as typeof BOLT11_SPEND, 'amount', /positive whole number/);
  });
});
