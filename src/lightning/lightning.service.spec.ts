import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startRegtestNetwork, type RegtestNetwork } from '../regtest/network';
import { LightningError, LightningPaymentError, LightningUnavailableError } from './lightning.errors';
import { LightningService } from './lightning.service';
import { readNodeDir } from './lnd-credentials';
import type { SettlementEvent } from './settlement.subscription';

const sha256 = (hex: string) => createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  assert.fail('expected a rejection');
}

async function waitFor(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

/** TCP relay to whatever port `target()` names, so a client keeps one address across network restarts. */
async function relay(target: () => number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target(), '127.0.0.1');
    const kill = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    for (const s of [client, upstream]) s.on('error', kill).on('close', kill);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

describe('LightningService against the regtest network', () => {
  let dataDir: string;
  let net: RegtestNetwork;
  let merchant: LightningService;
  let payer: LightningService;
  const extra: LightningService[] = [];

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'satgate-lightning-'));
    net = await startRegtestNetwork({ dataDir });
    merchant = new LightningService(readNodeDir(net.merchant.dir, 'invoice'));
    payer = new LightningService(readNodeDir(net.payer.dir));
  });

  after(async () => {
    for (const s of [merchant, payer, ...extra]) s?.close();
    await net?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports node identity and network', { timeout: 20000 }, async () => {
    const readonly = new LightningService(readNodeDir(net.merchant.dir, 'readonly'));
    extra.push(readonly);
    assert.deepEqual(await readonly.nodeInfo(), {
      alias: 'satgate-merchant',
      pubkey: net.merchant.pubkey,
      network: 'regtest',
      synced: true,
      blockHeight: 150,
    });
  });

  it('creates an invoice, pays it and sees it settled on both sides', { timeout: 20000 }, async () => {
    const created = await merchant.createInvoice({ sats: 1500, memo: 'api call', expirySeconds: 600 });
    assert.match(created.paymentRequest, /^lnbcrt15u1/);
    assert.equal(created.sats, 1500);
    const decoded = await payer.decode(created.paymentRequest);
    assert.equal(decoded.paymentHash, created.paymentHash);
    assert.equal(decoded.destination, net.merchant.pubkey);
    assert.equal(decoded.sats, 1500);
    assert.equal(decoded.description, 'api call');
    assert.equal(decoded.expiresAt.getTime(), created.expiresAt.getTime());
    assert.equal(decoded.isExpired, false);

    const open = await merchant.getInvoice(created.paymentHash);
    assert.deepEqual([open?.state, open?.isConfirmed, open?.settleIndex], ['open', false, undefined]);

    const paid = await payer.pay({ request: created.paymentRequest, maxFeeSats: 10, timeoutSeconds: 30 });
    assert.equal(sha256(paid.preimage), created.paymentHash);
    assert.deepEqual({ ...paid, preimage: undefined }, { preimage: undefined, feeSats: 0, sats: 1500, paymentHash: created.paymentHash });

    const settled = await merchant.getInvoice(created.paymentHash);
    assert.equal(settled?.state, 'settled');
    assert.equal(settled?.isConfirmed, true);
    assert.ok(settled?.settledAt instanceof Date);
    assert.ok((settled?.settleIndex ?? 0) >= 1);
    assert.deepEqual(await payer.getPayment(created.paymentHash), { status: 'succeeded', preimage: paid.preimage, sats: 1500, feeSat: 0 });
  });

  it('types payment failures', { timeout: 20000 }, async () => {
    const inv = await merchant.createInvoice({ sats: 5, memo: '', expirySeconds: 600 });
    await payer.pay({ request: inv.paymentRequest, maxFeeSats: 0, timeoutSeconds: 10 });
    const again = await rejection(payer.pay({ request: inv.paymentRequest, maxFeeSats: 0, timeoutSeconds: 10 }));
    assert.ok(again instanceof LightningPaymentError);
    assert.equal(again.failure, 'already_paid');

    const big = await merchant.createInvoice({ sats: 50_000_000, memo: '', expirySeconds: 600 });
    const poor = await rejection(payer.pay({ request: big.paymentRequest, maxFeeSats: 0, timeoutSeconds: 10 }));
    assert.equal((poor as LightningPaymentError).failure, 'insufficient_balance');
    assert.deepEqual(await payer.getPayment(big.paymentHash), { status: 'failed' });

    const self = await rejection(merchant.pay({ request: big.paymentRequest, maxFeeSats: 0, timeoutSeconds: 10 }));
    assert.ok(self instanceof LightningError && !(self instanceof LightningUnavailableError));
    assert.equal((self as LightningError).details, 'permission denied', 'invoice macaroon cannot pay');

    const garbage = await rejection(payer.pay({ request: 'lnbcrt1garbage', maxFeeSats: 0, timeoutSeconds: 10 }));
    assert.equal((garbage as LightningPaymentError).failure, 'invalid_request');

    const short = await merchant.createInvoice({ sats: 5, memo: '', expirySeconds: 1 });
    await new Promise((r) => setTimeout(r, 1600));
    const expired = await rejection(payer.pay({ request: short.paymentRequest, maxFeeSats: 0, timeoutSeconds: 10 }));
    assert.equal((expired as LightningPaymentError).failure, 'expired');
    assert.equal((await merchant.getInvoice(short.paymentHash))?.state, 'canceled');
  });

  it('answers null / unknown for hashes the node never saw', { timeout: 20000 }, async () => {
    assert.equal(await merchant.getInvoice('ab'.repeat(32)), null);
    assert.deepEqual(await payer.getPayment('ab'.repeat(32)), { status: 'unknown' });
  });

  it('surfaces an unreachable node as LightningUnavailableError and a bad macaroon as LightningError', { timeout: 20000 }, async () => {
    const creds = readNodeDir(net.merchant.dir);
    const down = new LightningService({ ...creds, socket: `localhost:${await closedPort()}` });
    const forged = new LightningService({ ...creds, macaroon: readFileSync(net.payer.adminMacaroonPath).toString('hex') });
    extra.push(down, forged);
    const e1 = await rejection(down.createInvoice({ sats: 1, memo: '', expirySeconds: 60 }));
    assert.ok(e1 instanceof LightningUnavailableError, String(e1));
    assert.equal(e1.grpcCode, 14);
    const e2 = await rejection(forged.createInvoice({ sats: 1, memo: '', expirySeconds: 60 }));
    assert.ok(e2 instanceof LightningError && !(e2 instanceof LightningUnavailableError));
    assert.equal((e2 as LightningError).details, 'verification failed: signature mismatch after caveat verification');
  });
});

describe('LightningService.subscribeSettlements across a network restart', () => {
  it('delivers each settlement once and resumes from the last settle index', { timeout: 20000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'satgate-settle-'));
    let net: RegtestNetwork | undefined = await startRegtestNetwork({ dataDir });
    const port = () => Number(net!.merchant.socket.split(':')[1]);
    const proxy = await relay(port);
    const creds = readNodeDir(net.merchant.dir);
    const services: LightningService[] = [];
    const service = (socket: string, dir: string) => {
      const s = new LightningService({ ...readNodeDir(dir), socket });
      services.push(s);
      return s;
    };
    try {
      let m = service(creds.socket, net.merchant.dir);
      let p = service(readNodeDir(net.payer.dir).socket, net.payer.dir);
      // Settled before anyone listens: a subscriber resuming from its index must never see it.
      const z = await m.createInvoice({ sats: 50, memo: 'z', expirySeconds: 600 });
      await p.pay({ request: z.paymentRequest, maxFeeSats: 0, timeoutSeconds: 10 });
      const zIndex = (await m.getInvoice(z.paymentHash))!.settleIndex!;
      assert.equal(zIndex, 1);

      const followed = service(`localhost:${proxy.port}`, net.merchant.dir);
      const events: SettlementEvent[] = [];
      const errors: Error[] = [];
      followed.subscribeSettlements({
        fromSettleIndex: zIndex,
        reconnectDelayMs: 50,
        onSettled: (e) => void events.push(e),
        onError: (e) => void errors.push(e),
      });
      const a = await m.createInvoice({ sats: 100, memo: 'a', expirySeconds: 600 });
      await p.pay({ request: a.paymentRequest, maxFeeSats: 0, timeoutSeconds: 10 });
      await waitFor(() => events.length === 1, 'first settlement');
      assert.deepEqual(
        { ...events[0], settledAt: undefined },
        { paymentHash: a.paymentHash, sats: 100, settledAt: undefined, settleIndex: 2 },
      );
      assert.ok(events[0].settledAt instanceof Date);

      await net.stop();
      net = await startRegtestNetwork({ dataDir });
      m = service(net.merchant.socket, net.merchant.dir);
      p = service(net.payer.socket, net.payer.dir);
      const b = await m.createInvoice({ sats: 200, memo: 'b', expirySeconds: 600 });
      await p.pay({ request: b.paymentRequest, maxFeeSats: 0, timeoutSeconds: 10 });
      await waitFor(() => events.length >= 2, 'settlement after restart');
      const c = await m.createInvoice({ sats: 300, memo: 'c', expirySeconds: 600 });
      await p.pay({ request: c.paymentRequest, maxFeeSats: 0, timeoutSeconds: 10 });
      await waitFor(() => events.length >= 3, 'live settlement after reconnect');
      assert.deepEqual(
        events.map((e) => [e.settleIndex, e.paymentHash, e.sats]),
        [
          [2, a.paymentHash, 100],
          [3, b.paymentHash, 200],
          [4, c.paymentHash, 300],
        ],
      );
      assert.ok(errors.some((e) => e instanceof LightningError), 'the outage was reported');

      // A fresh subscriber resuming from settle index 2 gets 3 and 4 only — never z or a again.
      const resumed: number[] = [];
      m.subscribeSettlements({ fromSettleIndex: 2, onSettled: (e) => void resumed.push(e.settleIndex) });
      await waitFor(() => resumed.length === 2, 'backlog after index 2');
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(resumed, [3, 4]);
      assert.equal((await m.getInvoice(a.paymentHash))?.settleIndex, 2, 'invoices survive the restart');
      assert.equal((await p.getPayment(a.paymentHash)).status, 'succeeded', 'payments survive the restart');
    } finally {
      for (const s of services) s.close();
      await proxy.close();
      await net?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('LightningService.subscribeSettlements when the callback fails', () => {
  it('redelivers the failed settlement, in order, before later ones, and each succeeds exactly once', { timeout: 20000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'satgate-settle-retry-'));
    const net = await startRegtestNetwork({ dataDir });
    const m = new LightningService(readNodeDir(net.merchant.dir));
    const p = new LightningService(readNodeDir(net.payer.dir));
    const settle = async (memo: string) => {
      const inv = await m.createInvoice({ sats: 10, memo, expirySeconds: 600 });
      await p.pay({ request: inv.paymentRequest, maxFeeSats: 0, timeoutSeconds: 10 });
      return inv.paymentHash;
    };
    try {
      const attempts: number[] = [];
      const delivered: string[] = [];
      const errors: string[] = [];
      let first: number | undefined; // the first settlement seen: its callback fails until `storeUp`
      let storeUp = false;
      let failedSecondOnce = false;
      // From 0, so the failure happens before any cursor exists (LND sends no backlog for index 0).
      m.subscribeSettlements({
        fromSettleIndex: 0,
        reconnectDelayMs: 20,
        onSettled: async (e) => {
          attempts.push(e.settleIndex);
          first ??= e.settleIndex;
          if (e.settleIndex === first && !storeUp) throw new Error('database unavailable');
          if (e.settleIndex === first + 1 && !failedSecondOnce) {
            failedSecondOnce = true;
            return Promise.reject(new Error('deadlock, try again'));
          }
          delivered.push(`${e.settleIndex}:${e.paymentHash}`);
        },
        onError: (e) => void errors.push(e.message),
      });
      // Settle invoices until the stream (opened asynchronously, without backlog) has seen one.
      const hashes = new Map<number, string>();
      for (let i = 1; first === undefined; i++) {
        hashes.set(i, await settle(`warm-up ${i}`));
        const until = Date.now() + 300;
        while (first === undefined && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      }
      const a = first!;
      await waitFor(() => attempts.filter((i) => i === a).length >= 2, 'the failed settlement to be retried');
      // Settled while the callback keeps failing: they must come after `a`, through the replay from its index.
      hashes.set(a + 1, await settle('b'));
      hashes.set(a + 2, await settle('c'));
      assert.deepEqual(delivered, []);
      storeUp = true;
      await waitFor(() => delivered.length === 3, 'all three settlements');
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(delivered, [a, a + 1, a + 2].map((i) => `${i}:${hashes.get(i)}`));
      assert.ok(errors.includes('database unavailable') && errors.includes('deadlock, try again'), errors.join(', '));
      assert.deepEqual(attempts.filter((i) => i !== a), [a + 1, a + 1, a + 2], 'b retried once, c delivered once');
    } finally {
      m.close();
      p.close();
      await net.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
