import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeInvoice } from './invoice.decoder';
import { InvoiceRefusedError } from './client.errors';
import { makeInvoice, newPreimage } from './l402.spec-support';

describe('decodeInvoice', () => {
  const created = new Date('2026-01-01T00:00:00Z');
  const expires = new Date('2026-01-01T01:00:00Z');
  const now = new Date('2026-01-01T00:30:00Z');

  it('returns amount, payment hash, expiry and network', () => {
    const { paymentHash } = newPreimage();
    const invoice = makeInvoice({ paymentHash, sats: 21, createdAt: created, expiresAt: expires });
    assert.deepEqual(
      { ...decodeInvoice(invoice, now), destination: undefined },
      {
        amountMsat: 21000n,
        amountSats: 21,
        paymentHash,
        expiresAt: expires,
        network: 'regtest',
        destination: undefined,
      },
    );
  });

  it('keeps millisatoshi precision', () => {
    const invoice = makeInvoice({ paymentHash: newPreimage().paymentHash, msat: 1500n, createdAt: created, expiresAt: expires });
    const d = decodeInvoice(invoice, now);
    assert.equal(d.amountMsat, 1500n);
    assert.equal(d.amountSats, 1.5);
  });

  it('reports the mainnet network of an lnbc invoice', () => {
    const invoice = makeInvoice({ paymentHash: newPreimage().paymentHash, sats: 5, network: 'bitcoin' });
    assert.equal(decodeInvoice(invoice).network, 'bitcoin');
  });

  const refusals: [string, () => string, Date, string][] = [
    ['an invoice without amount', () => makeInvoice({ paymentHash: newPreimage().paymentHash, createdAt: created, expiresAt: expires }), now, 'no_amount'],
    ['an expired invoice', () => makeInvoice({ paymentHash: newPreimage().paymentHash, sats: 1, createdAt: created, expiresAt: expires }), new Date('2026-01-01T01:00:01Z'), 'expired'],
    ['garbage', () => 'lnbcrt1notaninvoice', now, 'undecodable'],
  ];
  for (const [name, make, at, reason] of refusals) {
    it(`refuses ${name}`, () => {
      assert.throws(() => decodeInvoice(make(), at), (err: unknown) => {
        assert.ok(err instanceof InvoiceRefusedError);
        assert.equal(err.reason, reason);
        return true;
      });
    });
  }
});
