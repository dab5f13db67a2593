/**
 * l402Fetch against real payments: the regtest payer pays invoices the test server creates on the regtest
 * merchant. Payments are counted on the payer node, challenges on the server.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { l402Fetch, type L402FetchOptions } from './l402.fetch';
import { FileTokenStore } from './file-token.store';
import { OverLimitError, PaymentFailedError } from './client.errors';
import { originOf, type TokenRecord, type TokenStore } from './token.store';
import type { L402Event } from './l402.events';
import { parseL402Challenges } from '../core/l402';
import { decodeInvoice } from './invoice.decoder';
import { startRegtestFixture, type RegtestFixture } from './regtest.spec-support';
import { TestL402Server, type ChallengeForm } from './test-server.spec-support';

let fx: RegtestFixture;
const servers: TestL402Server[] = [];
let storeN = 0;

before(async () => {
  fx = await startRegtestFixture();
});
after(async () => {
  for (const s of servers) await s.stop();
  await fx.stop();
});

async function newServer(opts: { priceSats?: number; form?: ChallengeForm } = {}): Promise<TestL402Server> {
  const s = await new TestL402Server(fx.network.merchant, opts).start();
  servers.push(s);
  return s;
}
const newStore = () => new FileTokenStore(join(fx.tmp, `store-${++storeN}`));

/** l402Fetch with the payer wallet, collecting events. */
async function get(url: string, store: TokenStore, extra: Partial<L402FetchOptions> = {}) {
  const events: L402Event[] = [];
  const res = await l402Fetch(url, {}, { store, wallet: fx.wallet, onEvent: (e) => events.push(e), ...extra });
  return { res, body: await res.text(), events, types: events.map((e) => e.type) };
}

const sha256 = (hex: string) => createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');

describe('l402Fetch on regtest', () => {
  it("pays aperture's two-value challenge exactly once, then reuses the stored token", async () => {
    const server = await newServer({ priceSats: 10, form: 'aperture' });
    const store = newStore();
    const before = await fx.paidCount();

    const first = await get(`${server.url}/a`, store);
    assert.equal(first.res.status, 200);
    assert.deepEqual(JSON.parse(first.body), { ok: true, path: '/a', method: 'GET' });
    assert.deepEqual(first.types, ['paid']);
    assert.equal(first.events[0].type === 'paid' && first.events[0].sats, 10);
    assert.equal(await fx.paidCount(), before + 1);
    assert.equal(server.invoicesIssued, 1);
    assert.deepEqual(
      server.requests.map((r) => [r.outcome, r.authScheme]),
      [
        ['challenged', undefined],
        ['ok', 'L402'],
      ],
    );
    const stored = (await store.get(server.url)) as TokenRecord;
    assert.equal(stored.state, 'paid');
    assert.equal(stored.scheme, 'L402');
    assert.equal(stored.origin, originOf(server.url));
    assert.equal(sha256(stored.preimage!), stored.paymentHash);

    const second = await get(`${server.url}/b`, store);
    assert.equal(second.res.status, 200);
    assert.deepEqual(second.types, ['using-stored-token']);
    assert.equal(await fx.paidCount(), before + 1);
    assert.equal(server.invoicesIssued, 1);
    assert.deepEqual(server.requests.at(-1), { path: '/b', authScheme: 'L402', outcome: 'ok', reason: 'ok' });
  });

  it('pays once more, automatically, when the stored token has expired or was revoked', async () => {
    const server = await newServer({ priceSats: 7 });
    const store = newStore();
    await get(`${server.url}/`, store);
    const firstHash = (await store.get(server.url))!.paymentHash;
    const before = await fx.paidCount();

    server.advanceClock(3601);
    const renewed = await get(`${server.url}/`, store);
    assert.equal(renewed.res.status, 200);
    assert.deepEqual(renewed.types, ['using-stored-token', 'stored-token-refused', 'paid']);
    assert.equal(server.requests.at(-2)?.reason, 'expired');
    assert.equal(await fx.paidCount(), before + 1);
    const secondHash = (await store.get(server.url))!.paymentHash;
    assert.notEqual(secondHash, firstHash);

    server.revokeAll();
    const again = await get(`${server.url}/`, store);
    assert.equal(again.res.status, 200);
    assert.deepEqual(again.types, ['using-stored-token', 'stored-token-refused', 'paid']);
    assert.equal(server.requests.at(-2)?.reason, 'unknown_token');
    assert.equal(await fx.paidCount(), before + 2);
  });

  it('works against a server sending only the version="0", token= form', async () => {
    const server = await newServer({ form: 'l402-token' });
    const r = await get(`${server.url}/t`, newStore());
    assert.equal(r.res.status, 200);
    assert.deepEqual(r.types, ['paid']);
    assert.equal(server.requests.at(-1)?.authScheme, 'L402');
  });

  it('answers with LSAT when the server offered only LSAT', async () => {
    const server = await newServer({ form: 'lsat-only' });
    const store = newStore();
    const r = await get(`${server.url}/l`, store);
    assert.equal(r.res.status, 200);
    assert.equal(server.requests.at(-1)?.authScheme, 'LSAT');
    assert.equal((await store.get(server.url))?.scheme, 'LSAT');
  });

  it('pays nothing when the price is above the limit', async () => {
    const server = await newServer({ priceSats: 50 });
    const store = newStore();
    const before = await fx.paidCount();
    await assert.rejects(get(`${server.url}/`, store, { maxCostSats: 49 }), (err: unknown) => {
      assert.ok(err instanceof OverLimitError);
      assert.equal(err.priceSats, 50);
      assert.equal(err.limitSats, 49);
      return true;
    });
    assert.equal(await fx.paidCount(), before);
    assert.deepEqual(await store.list(), []);
    const ok = await get(`${server.url}/`, store, { maxCostSats: 50 });
    assert.equal(ok.res.status, 200);
  });

  it('after a crash between paying and storing, the next run pays nothing and ends with a working token', async () => {
    const server = await newServer({ priceSats: 12 });
    const fileStore = newStore();
    // The process "dies" right after the payment: the paid record never reaches the disk.
    const crashing: TokenStore = {
      get: (o) => fileStore.get(o),
      delete: (o) => fileStore.delete(o),
      list: () => fileStore.list(),
      put: async (r) => {
        if (r.state === 'paid') throw new Error('simulated crash');
        await fileStore.put(r);
      },
    };
    const before = await fx.paidCount();
    await assert.rejects(get(`${server.url}/`, crashing), /simulated crash/);
    assert.equal(await fx.paidCount(), before + 1);
    const pending = await fileStore.get(server.url);
    assert.equal(pending?.state, 'pending');
    assert.equal(pending?.preimage, undefined);

    const next = await get(`${server.url}/`, fileStore);
    assert.equal(next.res.status, 200);
    assert.deepEqual(next.types, ['recovered-pending', 'using-stored-token']);
    assert.equal(await fx.paidCount(), before + 1);
    assert.equal(server.invoicesIssued, 1); // not even a new challenge was needed
    const stored = await fileStore.get(server.url);
    assert.equal(stored?.state, 'paid');
    assert.equal(stored?.paymentHash, pending?.paymentHash);
  });

  it('drops a pending record whose payment never reached the node, then pays the fresh challenge once', async () => {
    const server = await newServer({ priceSats: 3 });
    const store = newStore();
    // The process died after writing the pending record and before asking the node to pay.
    const res = await fetch(`${server.url}/`);
    const [challenge] = parseL402Challenges(res.headers.get('www-authenticate')).challenges;
    await res.body?.cancel();
    const inv = decodeInvoice(challenge.invoice);
    await store.put({
      origin: originOf(server.url),
      state: 'pending',
      scheme: 'L402',
      macaroon: challenge.macaroon,
      invoice: challenge.invoice,
      paymentHash: inv.paymentHash,
      amountSats: inv.amountSats,
      createdAt: new Date().toISOString(),
    });
    const before = await fx.paidCount();
    const r = await get(`${server.url}/`, store);
    assert.equal(r.res.status, 200);
    assert.deepEqual(r.types, ['dropped-pending', 'paid']);
    assert.equal(await fx.paidCount(), before + 1);
    assert.notEqual((await store.get(server.url))?.paymentHash, inv.paymentHash);
  });

  it('leaves no pending state after a failed payment, and a later run pays normally', async () => {
    const server = await newServer({ priceSats: 20_000_000 }); // more than the payer's 10 M sat balance
    const store = newStore();
    const paidBefore = await fx.paidCount();
    const failedBefore = await fx.failedCount();
    await assert.rejects(get(`${server.url}/`, store, { maxCostSats: 30_000_000 }), (err: unknown) => {
      assert.ok(err instanceof PaymentFailedError);
      assert.equal(err.failure, 'InsufficientBalanceToAttemptPayment');
      return true;
    });
    assert.equal(await fx.failedCount(), failedBefore + 1);
    assert.equal(await fx.paidCount(), paidBefore);
    assert.deepEqual(await store.list(), []);

    server.priceSats = 5;
    const r = await get(`${server.url}/`, store);
    assert.equal(r.res.status, 200);
    assert.deepEqual(r.types, ['paid']);
    assert.equal(await fx.paidCount(), paidBefore + 1);
  });

  it('pays once for parallel requests to the same origin', async () => {
    const server = await newServer({ priceSats: 2 });
    const store = newStore();
    const before = await fx.paidCount();
    const results = await Promise.all([get(`${server.url}/1`, store), get(`${server.url}/2`, store), get(`${server.url}/3`, store)]);
    assert.deepEqual(results.map((r) => r.res.status), [200, 200, 200]);
    assert.equal(await fx.paidCount(), before + 1);
    assert.equal(results.flatMap((r) => r.types).filter((t) => t === 'paid').length, 1);
  });
});
