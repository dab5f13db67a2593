/**
 * Refusal paths of l402Fetch: everything that must be decided BEFORE the node is asked to pay. The wallet
 * here is a tripwire that fails the test if a payment is attempted; paying paths run against the regtest
 * network in l402.integration.spec.ts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { l402Fetch } from './l402.fetch';
import { FileTokenStore } from './file-token.store';
import {
  HashMismatchError,
  InvoiceRefusedError,
  MalformedChallengeError,
  OverLimitError,
  WalletNotConfiguredError,
} from './client.errors';
import type { Wallet } from './wallet.interface';
import { l402Identifier, makeInvoice, mintMacaroon, newPreimage } from './l402.spec-support';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_req, res) => res.end();
const server = createServer((req, res) => handler(req, res));
let base = '';
const root = mkdtempSync(join(tmpdir(), 'satgate-fetch-'));

before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(root, { recursive: true, force: true });
});

/** A wallet that must never be asked to pay. */
function tripwire(network = 'regtest'): Wallet & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async pay() {
      calls.push('pay');
      throw new Error('the test wallet must not be asked to pay');
    },
    async lookupPayment() {
      calls.push('lookup');
      throw new Error('the test wallet must not be asked to look up');
    },
    async network() {
      return network;
    },
  };
}

let n = 0;
const newStore = () => new FileTokenStore(join(root, `s${++n}`));

/** Answer 402 with an L402 challenge for `sats`, optionally with a macaroon for another hash. */
function challengeFor(opts: { sats: number; wrongHash?: boolean; network?: string; header?: string }): Handler {
  const { paymentHash } = newPreimage();
  const invoice = makeInvoice({ paymentHash, sats: opts.sats, network: opts.network });
  const idHash = opts.wrongHash ? newPreimage().paymentHash : paymentHash;
  const { macaroon } = mintMacaroon(l402Identifier(idHash));
  return (_req, res) => {
    res.statusCode = 402;
    res.setHeader('www-authenticate', opts.header ?? `L402 macaroon="${macaroon}", invoice="${invoice}"`);
    res.end('{"error":"payment_required"}');
  };
}

describe('l402Fetch refusals', () => {
  it('passes non-402 responses through untouched, needing no wallet', async () => {
    handler = (req, res) => res.end(`free ${req.method} ${req.headers['x-test']}`);
    const res = await l402Fetch(`${base}/free`, { method: 'PUT', headers: { 'x-test': 'yes' } }, { store: newStore() });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'free PUT yes');
  });

  it('refuses a price over the limit, naming price and limit, and pays nothing', async () => {
    handler = challengeFor({ sats: 2000 });
    const wallet = tripwire();
    const store = newStore();
    await assert.rejects(l402Fetch(`${base}/x`, {}, { store, wallet, maxCostSats: 1000 }), (err: unknown) => {
      assert.ok(err instanceof OverLimitError);
      assert.equal(err.priceSats, 2000);
      assert.equal(err.limitSats, 1000);
      assert.match(err.message, /price 2000 sats .* over the limit of 1000 sats/);
      return true;
    });
    assert.deepEqual(wallet.calls, []);
    assert.deepEqual(await store.list(), []);
  });

  it('uses 1000 sats as the default limit', async () => {
    handler = challengeFor({ sats: 1001 });
    await assert.rejects(l402Fetch(`${base}/x`, {}, { store: newStore(), wallet: tripwire() }), /over the limit of 1000 sats/);
  });

  it("refuses an invoice whose hash differs from the macaroon identifier's", async () => {
    handler = challengeFor({ sats: 10, wrongHash: true });
    const wallet = tripwire();
    const store = newStore();
    await assert.rejects(l402Fetch(`${base}/x`, {}, { store, wallet }), HashMismatchError);
    assert.deepEqual(wallet.calls, []);
    assert.deepEqual(await store.list(), []);
  });

  it('refuses an invoice for another network than the node runs on', async () => {
    handler = challengeFor({ sats: 10, network: 'bitcoin' });
    const wallet = tripwire('regtest');
    await assert.rejects(l402Fetch(`${base}/x`, {}, { store: newStore(), wallet }), (err: unknown) => {
      assert.ok(err instanceof InvoiceRefusedError);
      assert.equal(err.reason, 'wrong_network');
      return true;
    });
    assert.deepEqual(wallet.calls, []);
  });

  it('reports a broken L402 challenge instead of paying', async () => {
    handler = challengeFor({ sats: 10, header: 'L402 macaroon="AgE=", LSAT invoice="lnbcrt1"' });
    await assert.rejects(
      l402Fetch(`${base}/x`, {}, { store: newStore(), wallet: tripwire() }),
      (err: unknown) => err instanceof MalformedChallengeError && /no invoice; LSAT challenge has no macaroon/.test(err.message),
    );
  });

  it('returns a 402 of another payment scheme as is', async () => {
    handler = challengeFor({ sats: 10, header: 'Cashu mint="x"' });
    const res = await l402Fetch(`${base}/x`, {}, { store: newStore(), wallet: tripwire() });
    assert.equal(res.status, 402);
    assert.equal(await res.text(), '{"error":"payment_required"}');
  });

  it('uses the store in SATGATE_STORE by default, where an unresolved pending payment blocks paying again', async () => {
    const dir = join(root, 'env-store');
    await new FileTokenStore(dir).put({
      origin: `${base}`,
      state: 'pending',
      scheme: 'L402',
      macaroon: 'AgE=',
      invoice: 'lnbcrt1',
      paymentHash: 'ab'.repeat(32),
      amountSats: 1,
      createdAt: new Date().toISOString(),
    });
    handler = challengeFor({ sats: 10 });
    const old = process.env.SATGATE_STORE;
    process.env.SATGATE_STORE = dir;
    try {
      await assert.rejects(
        l402Fetch(`${base}/x`),
        (err: unknown) =>
          err instanceof WalletNotConfiguredError && err.message === `payment ${'ab'.repeat(32)} is pending and must be looked up for ${base}, but no Lightning node is configured`,
      );
    } finally {
      if (old === undefined) delete process.env.SATGATE_STORE;
      else process.env.SATGATE_STORE = old;
    }
  });

  it('says a node is needed when a payment is due and none is configured, leaving no pending record', async () => {
    handler = challengeFor({ sats: 10 });
    const store = newStore();
    await assert.rejects(l402Fetch(`${base}/x`, {}, { store }), WalletNotConfiguredError);
    assert.deepEqual(await store.list(), []);
    assert.equal(existsSync(store.dir), false); // nothing written at all
  });
});
