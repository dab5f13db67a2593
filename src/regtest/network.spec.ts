import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createInvoice,
  decodePaymentRequest,
  getChannelBalance,
  getFailedPayments,
  getInvoice,
  getInvoices,
  getPayment,
  getPayments,
  getWalletInfo,
  pay,
  subscribeToInvoice,
  subscribeToInvoices,
} from 'lightning';
import { pointFromScalar, sign } from 'tiny-secp256k1';
import { startRegtestNetwork, type RegtestNetwork } from './network';
import { lndClient, type LndClient } from './regtest.clients';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const invoices = require('invoices');

const sha256 = (hex: string) => createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');

/** The `[status, reason, {err}]` array the lightning package rejects with, flattened for assertions. */
async function failure(p: Promise<unknown>): Promise<{ status: number; reason: string; code?: number; details?: string }> {
  try {
    await p;
  } catch (err) {
    assert.ok(Array.isArray(err), `expected a lightning error array, got ${String(err)}`);
    const [status, reason, extra] = err as [number, string, { err?: { code?: number; details?: string } }?];
    return { status, reason, code: extra?.err?.code, details: extra?.err?.details };
  }
  assert.fail('expected the call to fail');
}

/** A regtest invoice signed by a key that is not a node of the network. */
function invoiceFromStranger(tokens: number): string {
  const key = randomBytes(32);
  const destination = Buffer.from(pointFromScalar(key, true)!).toString('hex');
  const unsigned = invoices.createUnsignedRequest({
    destination,
    description: 'nobody',
    features: [{ bit: 8 }, { bit: 14 }],
    id: randomBytes(32).toString('hex'),
    payment: randomBytes(32).toString('hex'),
    network: 'regtest',
    tokens,
  });
  const signature = Buffer.from(sign(Buffer.from(unsigned.hash, 'hex'), key)).toString('hex');
  return invoices.createSignedRequest({ destination, hrp: unsigned.hrp, signature, tags: unsigned.tags }).request;
}

describe('regtest network through the lightning client', () => {
  let dataDir: string;
  let net: RegtestNetwork;
  const clients: LndClient[] = [];
  const client = (...args: Parameters<typeof lndClient>) => {
    const c = lndClient(...args);
    clients.push(c);
    return c.lnd;
  };
  let merchant: ReturnType<typeof client>;
  let payer: ReturnType<typeof client>;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'satgate-regtest-'));
    net = await startRegtestNetwork({ dataDir });
    merchant = client(net.merchant);
    payer = client(net.payer);
  });

  after(async () => {
    for (const c of clients) c.close();
    await net?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lays out LND-style credential files and answers GetInfo as a synced regtest node', { timeout: 20000 }, async () => {
    assert.match(net.merchant.socket, /^localhost:\d+$/);
    assert.equal(readFileSync(join(net.merchant.dir, 'socket'), 'utf8').trim(), net.merchant.socket);
    assert.equal(net.merchant.dir, join(dataDir, 'regtest', 'merchant'));
    assert.match(readFileSync(net.merchant.certPath, 'utf8'), /^-----BEGIN CERTIFICATE-----/);
    assert.equal(readFileSync(net.payer.adminMacaroonPath)[0], 2, 'binary V2 macaroon');
    const info = await getWalletInfo({ lnd: merchant });
    assert.equal(info.public_key, net.merchant.pubkey);
    assert.equal(info.alias, 'satgate-merchant');
    assert.equal(info.is_synced_to_chain, true);
    assert.deepEqual(info.chains, ['06226e46111a0b59caaf126043eb5bbf28c34f3a5e332a1fc7b2b73cf188910f']);
  });

  it('pays a merchant invoice from the payer: settlement event, confirmed invoice, preimage, balances', { timeout: 20000 }, async () => {
    const before = await getChannelBalance({ lnd: payer });
    assert.equal(before.channel_balance, 10_000_000);
    const sub = subscribeToInvoices({ lnd: merchant });
    const settled = new Promise<{ id: string; confirmed_index?: number }>((resolve) =>
      sub.on('invoice_updated', (inv: { id: string; is_confirmed: boolean; confirmed_index?: number }) => {
        if (inv.is_confirmed) resolve(inv);
      }),
    );
    sub.on('error', () => undefined);
    try {
      const inv = await createInvoice({ lnd: merchant, tokens: 2500, description: 'coffee' });
      assert.match(inv.request, /^lnbcrt25u1/);
      const decoded = await decodePaymentRequest({ lnd: payer, request: inv.request });
      assert.equal(decoded.destination, net.merchant.pubkey);
      assert.equal(decoded.tokens, 2500);
      assert.equal(decoded.description, 'coffee');

      const paid = await pay({ lnd: payer, request: inv.request });
      assert.equal(sha256(paid.secret), inv.id);
      assert.equal(paid.secret, inv.secret);
      assert.equal(paid.fee, 0);
      assert.equal(paid.tokens, 2500);

      const event = await settled;
      assert.equal(event.id, inv.id);
      assert.ok(event.confirmed_index! >= 1);
      const got = await getInvoice({ lnd: merchant, id: inv.id });
      assert.equal(got.is_confirmed, true);
      assert.equal(got.received, 2500);
      assert.equal((await getChannelBalance({ lnd: payer })).channel_balance, 10_000_000 - 2500);
      assert.ok((await getChannelBalance({ lnd: merchant })).channel_balance >= 2500);
      const status = await getPayment({ lnd: payer, id: inv.id });
      assert.equal(status.is_confirmed, true);
      assert.equal(status.payment?.secret, paid.secret);
      const { payments } = await getPayments({ lnd: payer });
      assert.ok(payments.some((p) => p.id === inv.id && p.secret === paid.secret));
    } finally {
      sub.removeAllListeners();
    }
  });

  it('refuses to pay the same invoice twice (ALREADY_EXISTS "invoice is already paid")', { timeout: 20000 }, async () => {
    const inv = await createInvoice({ lnd: merchant, tokens: 10 });
    await pay({ lnd: payer, request: inv.request });
    const f = await failure(pay({ lnd: payer, request: inv.request }));
    assert.deepEqual(f, { status: 503, reason: 'UnexpectedPaymentError', code: 6, details: 'invoice is already paid' });
  });

  it('fails a payment to a destination outside the network with FAILURE_REASON_NO_ROUTE', { timeout: 20000 }, async () => {
    const request = invoiceFromStranger(10);
    const f = await failure(pay({ lnd: payer, request }));
    assert.equal(f.reason, 'PaymentPathfindingFailedToFindPossibleRoute');
    const { id } = invoices.parsePaymentRequest({ request });
    const status = await getPayment({ lnd: payer, id });
    assert.equal(status.is_failed, true);
    assert.equal((status.failed as { is_route_not_found?: boolean }).is_route_not_found, true);
  });

  it('fails a payment above the local balance with FAILURE_REASON_INSUFFICIENT_BALANCE', { timeout: 20000 }, async () => {
    const inv = await createInvoice({ lnd: merchant, tokens: 20_000_000 });
    const f = await failure(pay({ lnd: payer, request: inv.request }));
    assert.equal(f.reason, 'InsufficientBalanceToAttemptPayment');
    assert.equal((await getInvoice({ lnd: merchant, id: inv.id })).is_confirmed, false);
  });

  it('honours invoice expiry: the invoice is canceled and paying it fails like LND', { timeout: 20000 }, async () => {
    const inv = await createInvoice({ lnd: merchant, tokens: 5, expires_at: new Date(Date.now() + 1000).toISOString() });
    await new Promise((r) => setTimeout(r, 1600));
    const f = await failure(pay({ lnd: payer, request: inv.request }));
    assert.equal(f.reason, 'UnexpectedPaymentError');
    assert.equal(f.code, 2);
    assert.match(f.details ?? '', /^invoice expired\. Valid until /);
    const got = await getInvoice({ lnd: merchant, id: inv.id });
    assert.equal(got.is_canceled, true);
    assert.equal(got.is_confirmed, false);
  });

  it('subscribeToInvoice sends the current state first, then the settlement', { timeout: 20000 }, async () => {
    const inv = await createInvoice({ lnd: merchant, tokens: 7 });
    const sub = subscribeToInvoice({ lnd: merchant, id: inv.id });
    const states: boolean[] = [];
    const done = new Promise<void>((resolve) =>
      sub.on('invoice_updated', (i: { is_confirmed: boolean }) => {
        states.push(i.is_confirmed);
        if (states.length === 1) void pay({ lnd: payer, request: inv.request });
        if (i.is_confirmed) resolve();
      }),
    );
    sub.on('error', () => undefined);
    await done;
    sub.removeAllListeners();
    assert.deepEqual(states, [false, true]);
  });

  it('subscribeToInvoices with confirmed_after replays only later settlements', { timeout: 20000 }, async () => {
    const a = await createInvoice({ lnd: merchant, tokens: 11 });
    await pay({ lnd: payer, request: a.request });
    const aIndex = ((await getInvoice({ lnd: merchant, id: a.id })) as { confirmed_index?: number }).confirmed_index!;
    const b = await createInvoice({ lnd: merchant, tokens: 12 });
    await pay({ lnd: payer, request: b.request });
    const sub = subscribeToInvoices({ lnd: merchant, confirmed_after: aIndex });
    sub.on('error', () => undefined);
    const first = await new Promise<{ id: string; confirmed_index?: number }>((resolve) => sub.once('invoice_updated', resolve));
    sub.removeAllListeners();
    assert.equal(first.id, b.id);
    assert.equal(first.confirmed_index, aIndex + 1);
  });

  it('lists invoices and payments the way getInvoices / getPayments / getFailedPayments page them', { timeout: 20000 }, async () => {
    const ok = await createInvoice({ lnd: merchant, tokens: 33 });
    await pay({ lnd: payer, request: ok.request });
    const stranger = invoiceFromStranger(44);
    await failure(pay({ lnd: payer, request: stranger }));
    const strangerId = invoices.parsePaymentRequest({ request: stranger }).id;

    const succeeded = (await getPayments({ lnd: payer })).payments;
    assert.ok(succeeded.some((p) => p.id === ok.id && p.is_confirmed));
    assert.ok(!succeeded.some((p) => p.id === strangerId));
    const failed = (await getFailedPayments({ lnd: payer })).payments;
    assert.ok(failed.some((p) => p.id === strangerId));
    assert.ok(!failed.some((p) => p.id === ok.id));
    const recent = await getPayments({ lnd: payer, created_after: new Date(Date.now() + 60_000).toISOString() });
    assert.deepEqual(recent.payments, [], 'creation date filter');

    const listed = (await getInvoices({ lnd: merchant, limit: 100 })).invoices;
    const mine = listed.find((i) => i.id === ok.id);
    assert.equal(mine?.is_confirmed, true);
    assert.equal(mine?.tokens, 33);
  });

  it('holds a payment in flight on request, then settles it or fails it back', { timeout: 20000 }, async () => {
    const inv = await createInvoice({ lnd: merchant, tokens: 21 });
    const hold = net.holdPayment(inv.id);
    const paying = pay({ lnd: payer, request: inv.request });
    let status = await getPayment({ lnd: payer, id: inv.id }).catch(() => undefined);
    while (!status?.is_pending) {
      await new Promise((r) => setTimeout(r, 10));
      status = await getPayment({ lnd: payer, id: inv.id }).catch(() => undefined);
    }
    assert.deepEqual([status.is_pending, status.is_confirmed, status.is_failed], [true, false, false]);
    assert.equal(status.pending?.id, inv.id);
    assert.equal(status.pending?.destination, net.merchant.pubkey);
    assert.equal(status.pending?.tokens, 21);
    assert.equal((await getInvoice({ lnd: merchant, id: inv.id })).is_confirmed, false);
    const twice = await failure(pay({ lnd: payer, request: inv.request }));
    assert.deepEqual([twice.code, twice.details], [6, 'payment is in transition']);

    await hold.release('settle');
    const paid = await paying;
    assert.equal(sha256(paid.secret), inv.id);
    assert.equal((await getInvoice({ lnd: merchant, id: inv.id })).is_confirmed, true);
    assert.equal((await getPayment({ lnd: payer, id: inv.id })).is_confirmed, true);

    const refused = await createInvoice({ lnd: merchant, tokens: 22 });
    const failBack = net.holdPayment(refused.id);
    const doomed = failure(pay({ lnd: payer, request: refused.request }));
    while (!(await getPayment({ lnd: payer, id: refused.id }).catch(() => undefined))?.is_pending) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await failBack.release('fail');
    assert.equal((await doomed).reason, 'PaymentRejectedByDestination');
    const after = await getPayment({ lnd: payer, id: refused.id });
    assert.equal(after.is_failed, true);
    assert.equal((after.failed as { is_invalid_payment?: boolean }).is_invalid_payment, true);
    assert.equal((await getInvoice({ lnd: merchant, id: refused.id })).is_confirmed, false);
  });

  it('enforces macaroons: wrong node, missing, and role permissions', { timeout: 20000 }, async () => {
    const forged = client(net.merchant, 'admin', { macaroonPath: net.payer.adminMacaroonPath });
    const f1 = await failure(getWalletInfo({ lnd: forged }));
    assert.deepEqual([f1.code, f1.details], [2, 'verification failed: signature mismatch after caveat verification']);

    const none = client(net.merchant, 'admin', { macaroonPath: null });
    const f2 = await failure(createInvoice({ lnd: none, tokens: 1 }));
    assert.deepEqual([f2.reason, f2.details], ['AddInvoiceError', 'expected 1 macaroon, got 0']);

    const invoiceOnly = client(net.merchant, 'invoice');
    const created = await createInvoice({ lnd: invoiceOnly, tokens: 3 });
    assert.equal((await getInvoice({ lnd: invoiceOnly, id: created.id })).tokens, 3);
    assert.equal((await failure(getWalletInfo({ lnd: invoiceOnly }))).details, 'permission denied');
    const payerInvoiceOnly = client(net.payer, 'invoice');
    assert.equal((await failure(pay({ lnd: payerInvoiceOnly, request: created.request }))).details, 'permission denied');

    const readonly = client(net.merchant, 'readonly');
    assert.equal((await getWalletInfo({ lnd: readonly })).public_key, net.merchant.pubkey);
    assert.equal((await failure(createInvoice({ lnd: readonly, tokens: 1 }))).details, 'permission denied');
  });

  it('rejects a client that pins another node certificate (TLS failure, UNAVAILABLE)', { timeout: 20000 }, async () => {
    const wrongCert = client(net.merchant, 'admin', { certPath: net.payer.certPath });
    const f = await failure(getWalletInfo({ lnd: wrongCert }));
    assert.equal(f.code, 14);
    assert.match(f.details ?? '', /certificate/);
  });
});

describe('regtest network restart on the same data dir', () => {
  it('keeps keys, credentials, invoices, payments and balances', { timeout: 20000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'satgate-regtest-restart-'));
    let net: RegtestNetwork | undefined = await startRegtestNetwork({ dataDir });
    const clients: LndClient[] = [];
    try {
      const m1 = lndClient(net.merchant);
      const p1 = lndClient(net.payer);
      clients.push(m1, p1);
      const inv = await createInvoice({ lnd: m1.lnd, tokens: 4000 });
      const open = await createInvoice({ lnd: m1.lnd, tokens: 1 });
      const paid = await pay({ lnd: p1.lnd, request: inv.request });
      const cert = readFileSync(net.merchant.certPath, 'utf8');
      const macaroon = readFileSync(net.merchant.adminMacaroonPath);
      const pubkeys = [net.merchant.pubkey, net.payer.pubkey];
      await net.stop();
      assert.throws(() => readFileSync(join(dataDir, 'regtest', 'merchant', 'socket')), /ENOENT/);

      net = await startRegtestNetwork({ dataDir });
      assert.deepEqual([net.merchant.pubkey, net.payer.pubkey], pubkeys);
      assert.equal(readFileSync(net.merchant.certPath, 'utf8'), cert);
      assert.deepEqual(readFileSync(net.merchant.adminMacaroonPath), macaroon);
      const m2 = lndClient(net.merchant);
      const p2 = lndClient(net.payer);
      clients.push(m2, p2);
      const got = await getInvoice({ lnd: m2.lnd, id: inv.id });
      assert.equal(got.is_confirmed, true);
      assert.equal(got.secret, paid.secret);
      assert.equal((await getInvoice({ lnd: m2.lnd, id: open.id })).is_confirmed, false);
      const payment = await getPayment({ lnd: p2.lnd, id: inv.id });
      assert.equal(payment.payment?.secret, paid.secret);
      assert.equal((await getChannelBalance({ lnd: p2.lnd })).channel_balance, 10_000_000 - 4000);
      assert.equal((await getChannelBalance({ lnd: m2.lnd })).channel_balance, 4000);
      const again = await failure(pay({ lnd: p2.lnd, request: inv.request }));
      assert.equal(again.details, 'invoice is already paid');
      const next = await createInvoice({ lnd: m2.lnd, tokens: 1 });
      assert.equal(((await getInvoice({ lnd: m2.lnd, id: next.id })) as { index?: number }).index, 3, 'add index continues');
    } finally {
      for (const c of clients) c.close();
      await net?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('listens on the same ports again when they are free, on fresh ones when taken', { timeout: 20000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'satgate-regtest-ports-'));
    const blocker = createServer();
    let net: RegtestNetwork | undefined = await startRegtestNetwork({ dataDir });
    const clients: LndClient[] = [];
    try {
      const first = [net.merchant.socket, net.payer.socket];
      await net.stop();
      net = await startRegtestNetwork({ dataDir });
      assert.deepEqual([net.merchant.socket, net.payer.socket], first, 'LND_SOCKET values printed earlier still work');
      const portOf = (socket: string) => Number(socket.split(':')[1]);
      const networkFile = () => JSON.parse(readFileSync(join(dataDir, 'regtest', 'network.json'), 'utf8'));
      assert.deepEqual(networkFile().ports, { merchant: portOf(first[0]), payer: portOf(first[1]) });
      await net.stop();

      // Something else took the merchant's port meanwhile: the merchant moves, the payer stays.
      await new Promise<void>((r) => blocker.listen(portOf(first[0]), '127.0.0.1', r));
      net = await startRegtestNetwork({ dataDir });
      assert.notEqual(net.merchant.socket, first[0]);
      assert.match(net.merchant.socket, /^localhost:\d+$/);
      assert.equal(net.payer.socket, first[1]);
      assert.equal(readFileSync(join(net.merchant.dir, 'socket'), 'utf8').trim(), net.merchant.socket);
      assert.deepEqual(networkFile().ports, { merchant: portOf(net.merchant.socket), payer: portOf(first[1]) });
      const m = lndClient(net.merchant);
      clients.push(m);
      assert.equal((await getWalletInfo({ lnd: m.lnd })).public_key, net.merchant.pubkey);
    } finally {
      for (const c of clients) c.close();
      await net?.stop();
      if (blocker.listening) await new Promise((r) => blocker.close(r));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a second network on a data dir that is in use', { timeout: 20000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'satgate-regtest-lock-'));
    const net = await startRegtestNetwork({ dataDir });
    try {
      await assert.rejects(startRegtestNetwork({ dataDir }), /already running/);
    } finally {
      await net.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
