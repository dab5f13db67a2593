/**
 * `satgate fetch` / `satgate tokens` end to end on the regtest network: what a user sees on stdout and
 * stderr, the exit codes, and what lands on disk.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runFetch } from './fetch.command';
import { runTokens } from './tokens.command';
import { l402Fetch } from './l402.fetch';
import { FileTokenStore } from './file-token.store';
import type { TokenStore } from './token.store';
import { PaymentPendingError } from './client.errors';
import type { Wallet } from './wallet.interface';
import type { PaymentHold } from '../regtest/network';
import { captureIo } from './l402.spec-support';
import { startRegtestFixture, type RegtestFixture } from './regtest.spec-support';
import { TestL402Server, type ChallengeForm } from './test-server.spec-support';

let fx: RegtestFixture;
const servers: TestL402Server[] = [];
let n = 0;

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
const newStoreDir = () => join(fx.tmp, `cli-${++n}`, 'satgate', 'tokens');
const lndDir = () => ['--lnd-dir', fx.network.payer.dir];

/**
 * An earlier run whose connection to the node dropped while the payment was in flight: the regtest network
 * holds the HTLC, so the payment stays IN_FLIGHT until the test releases it. Leaves the pending record.
 */
async function leaveInFlight(serverUrl: string, storeDir: string): Promise<{ hash: string; hold: PaymentHold; payment: Promise<unknown> }> {
  let hold: PaymentHold | undefined;
  let payment: Promise<unknown> | undefined;
  const dropping: Wallet = {
    network: () => fx.wallet.network(),
    lookupPayment: (hash) => fx.wallet.lookupPayment(hash),
    pay: async (args) => {
      hold = fx.network.holdPayment(args.paymentHash);
      payment = fx.wallet.pay(args); // the real payment, now stuck in flight
      payment.catch(() => undefined);
      while ((await fx.wallet.lookupPayment(args.paymentHash)).status !== 'in_flight') {
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error('connection to the node lost');
    },
  };
  const store = new FileTokenStore(storeDir);
  await assert.rejects(l402Fetch(`${serverUrl}/`, {}, { store, wallet: dropping, pendingTimeoutMs: 0 }), PaymentPendingError);
  const pending = await store.get(serverUrl);
  assert.equal(pending?.state, 'pending');
  return { hash: pending!.paymentHash, hold: hold!, payment: payment! };
}

async function run(argv: string[]) {
  const c = captureIo();
  const code = await runFetch(argv, c.io);
  return { code, stdout: c.stdout(), stderr: c.stderr(), lines: c.stderr().split('\n').filter(Boolean) };
}

describe('satgate fetch on regtest', () => {
  it('pays once with exactly one "paid " line, then reuses the token saying so', async () => {
    const server = await newServer({ priceSats: 10 });
    const store = newStoreDir();
    const before = await fx.paidCount();

    const first = await run([`${server.url}/x`, ...lndDir(), '--store', store]);
    assert.equal(first.code, 0);
    assert.deepEqual(JSON.parse(first.stdout), { ok: true, path: '/x', method: 'GET' });
    assert.equal(first.lines.length, 1);
    assert.match(first.lines[0], /^paid 10 sats \(fee 0 sats\) in \d+ ms to http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(await fx.paidCount(), before + 1);

    const second = await run([`${server.url}/y`, ...lndDir(), '--store', store]);
    assert.equal(second.code, 0);
    assert.deepEqual(second.lines, [`using stored token for ${server.url}`]);
    assert.equal(JSON.parse(second.stdout).path, '/y');
    assert.equal(await fx.paidCount(), before + 1);
    assert.equal(server.requests.at(-1)?.authScheme, 'L402');
  });

  it('keeps the store directory 0700 and token files 0600', async () => {
    const server = await newServer();
    const store = newStoreDir();
    assert.equal((await run([`${server.url}/`, ...lndDir(), '--store', store])).code, 0);
    assert.equal(statSync(store).mode & 0o777, 0o700);
    const files = readdirSync(store);
    assert.equal(files.length, 1);
    assert.equal(statSync(join(store, files[0])).mode & 0o777, 0o600);
  });

  it('prints {status, headers, body, paid} with --json, using explicit socket/cert/macaroon flags', async () => {
    const server = await newServer({ priceSats: 4, form: 'l402-token' });
    const { payer } = fx.network;
    const r = await run([
      `${server.url}/j`,
      '--json',
      '--lnd-socket', payer.socket,
      '--lnd-cert', payer.certPath,
      '--lnd-macaroon', payer.adminMacaroonPath,
      '--store', newStoreDir(),
    ]);
    assert.equal(r.code, 0);
    const out = JSON.parse(r.stdout);
    assert.equal(out.status, 200);
    assert.equal(out.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(out.body), { ok: true, path: '/j', method: 'GET' });
    assert.equal(out.paid.sats, 4);
    assert.equal(out.paid.feeSats, 0);
    assert.equal(typeof out.paid.ms, 'number');
  });

  it('exits 3 above --max-cost, naming price and limit, paying nothing', async () => {
    const server = await newServer({ priceSats: 1500 });
    const before = await fx.paidCount();
    const r = await run([`${server.url}/`, ...lndDir(), '--store', newStoreDir()]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /price 1500 sats for http:\/\/127\.0\.0\.1:\d+ is over the limit of 1000 sats/);
    assert.ok(!r.lines.some((l) => l.startsWith('paid ')));
    assert.equal(await fx.paidCount(), before);
    const raised = await run([`${server.url}/`, ...lndDir(), '--store', newStoreDir(), '--max-cost', '1500']);
    assert.equal(raised.code, 0);
  });

  it('exits 4 when the payment fails, leaving no pending record', async () => {
    const server = await newServer({ priceSats: 20_000_000 });
    const store = newStoreDir();
    const r = await run([`${server.url}/`, ...lndDir(), '--store', store, '--max-cost', '25000000']);
    assert.equal(r.code, 4);
    assert.match(r.stderr, /^satgate fetch: payment [0-9a-f]{64} failed: InsufficientBalanceToAttemptPayment\n$/);
    assert.deepEqual(readdirSync(store), []);
  });

  it('exits 5 when the server answers an error after the flow, still printing the body', async () => {
    const server = await newServer({ priceSats: 2 });
    const r = await run([`${server.url}/status/404`, ...lndDir(), '--store', newStoreDir()]);
    assert.equal(r.code, 5);
    assert.deepEqual(JSON.parse(r.stdout), { ok: true, path: '/status/404', method: 'GET' });
    assert.equal(r.lines.length, 2);
    assert.match(r.lines[0], /^paid 2 sats/);
    assert.match(r.lines[1], /^HTTP 404 Not Found from http:\/\/127\.0\.0\.1:\d+\/status\/404$/);
  });

  it("exits 3 when a revoked token's new challenge is over the limit", async () => {
    const server = await newServer({ priceSats: 1 });
    const store = newStoreDir();
    assert.equal((await run([`${server.url}/`, ...lndDir(), '--store', store])).code, 0);
    server.revokeAll();
    server.priceSats = 5000; // the new challenge is over the default limit
    const r = await run([`${server.url}/`, ...lndDir(), '--store', store]);
    assert.equal(r.code, 3);
    assert.deepEqual(r.lines.slice(0, 2), [
      `using stored token for ${server.url}`,
      `stored token for ${server.url} was refused (unknown_token); answering the new challenge`,
    ]);
  });

  it('finishes a payment interrupted before storing, without paying again', async () => {
    const server = await newServer({ priceSats: 9 });
    const storeDir = newStoreDir();
    const fileStore = new FileTokenStore(storeDir);
    const crashing: TokenStore = {
      get: (o) => fileStore.get(o),
      delete: (o) => fileStore.delete(o),
      list: () => fileStore.list(),
      put: async (r) => {
        if (r.state === 'paid') throw new Error('simulated crash');
        await fileStore.put(r);
      },
    };
    await assert.rejects(l402Fetch(`${server.url}/`, {}, { store: crashing, wallet: fx.wallet }), /simulated crash/);
    const before = await fx.paidCount();

    const r = await run([`${server.url}/`, ...lndDir(), '--store', storeDir]);
    assert.equal(r.code, 0);
    assert.equal(JSON.parse(r.stdout).ok, true);
    assert.match(r.lines[0], /^found earlier payment [0-9a-f]{64} settled \(9 sats\); stored its token without paying again$/);
    assert.ok(!r.lines.some((l) => l.startsWith('paid ')));
    assert.equal(await fx.paidCount(), before);

    const list = captureIo();
    assert.equal(await runTokens(['list', '--store', storeDir], list.io), 0);
    assert.match(list.stdout(), new RegExp(`^ORIGIN\\t.*\\n${server.url}\\tpaid\\tL402\\t9 sats\\t\\S+Z\\tpaid `));
  });

  it('waits for a payment an earlier run left in flight, says exactly what to do, and never pays twice', async () => {
    const server = await newServer({ priceSats: 6 });
    const storeDir = newStoreDir();
    const { hash, hold, payment } = await leaveInFlight(server.url, storeDir);
    const paidBefore = await fx.paidCount();
    const requestsBefore = server.requests.length;

    const waited = await run([`${server.url}/`, ...lndDir(), '--store', storeDir, '--pending-timeout', '1']);
    assert.equal(waited.code, 4);
    assert.equal(waited.stdout, '');
    assert.equal(waited.lines.length, 2, waited.stderr);
    assert.equal(waited.lines[0], `payment ${hash} is still in flight; waiting up to 1 s`);
    const [before, after] = waited.lines[1].split(/after waiting \d+ s\. /);
    assert.equal(before, `satgate fetch: payment ${hash} for ${server.url} is still in flight on your Lightning node `);
    assert.equal(
      after,
      `Nothing was paid twice. Run the same command again later: it looks the payment up and finishes storing ` +
        `the token once it settles, or pays afresh if it failed. To inspect it: lncli trackpayment ${hash}. ` +
        `Only if it never resolves, "satgate tokens rm ${server.url}" discards the pending record (a late settlement is then lost).`,
    );
    assert.equal(server.requests.length, requestsBefore, 'nothing was asked of the server, nothing new paid');
    assert.equal((await new FileTokenStore(storeDir).get(server.url))?.state, 'pending');

    // The payment settles later: the next run stores its token, without paying again.
    await hold.release('settle');
    await payment;
    const settled = await run([`${server.url}/`, ...lndDir(), '--store', storeDir]);
    assert.equal(settled.code, 0);
    assert.deepEqual(settled.lines, [
      `found earlier payment ${hash} settled (6 sats); stored its token without paying again`,
      `using stored token for ${server.url}`,
    ]);
    assert.equal(JSON.parse(settled.stdout).ok, true);
    assert.equal(await fx.paidCount(), paidBefore + 1, 'only the held payment itself');
    assert.equal(server.invoicesIssued, 1);
  });

  it('pays afresh when the payment an earlier run left in flight fails', async () => {
    const server = await newServer({ priceSats: 5 });
    const storeDir = newStoreDir();
    const { hash, hold } = await leaveInFlight(server.url, storeDir);
    await hold.release('fail');
    const r = await run([`${server.url}/`, ...lndDir(), '--store', storeDir]);
    assert.equal(r.code, 0);
    assert.equal(r.lines.length, 2, r.stderr);
    assert.equal(r.lines[0], `dropped pending payment ${hash}: payment failed (invalid_payment)`);
    assert.match(r.lines[1], /^paid 5 sats \(fee 0 sats\) in \d+ ms to http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(server.invoicesIssued, 2);
    assert.notEqual((await new FileTokenStore(storeDir).get(server.url))?.paymentHash, hash);
  });

  it('takes the store from SATGATE_STORE when --store is absent', async () => {
    const server = await newServer();
    const dir = newStoreDir();
    const old = process.env.SATGATE_STORE;
    process.env.SATGATE_STORE = dir;
    try {
      assert.equal((await run([`${server.url}/`, ...lndDir()])).code, 0);
    } finally {
      if (old === undefined) delete process.env.SATGATE_STORE;
      else process.env.SATGATE_STORE = old;
    }
    assert.equal((await new FileTokenStore(dir).list()).length, 1);
  });
});
