/**
 * L402 state survives restarts: a token paid before a restart works after it; settlements that
 * happen while satgate is down are applied on start from the persisted settle index, without replaying
 * older ones; unpaid challenges are purged after their invoice expired plus the grace period.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { ChallengePurger } from '../src/l402/challenge.purger';
import { L402_DEFAULTS } from '../src/l402/l402.constants';
import { SettlementFollower } from '../src/l402/settlement.follower';
import { query, resetDatabase } from './support/database';
import { eventually, l402Header, request, startL402Fixture, type L402Fixture } from './l402.fixture';

let fx: L402Fixture;
before(async () => {
  await resetDatabase();
  fx = await startL402Fixture();
});
after(() => fx?.stop());

const invoiceRow = async (hash: string) =>
  (await query<{ state: string; settle_index: string | null }>('SELECT state, settle_index FROM l402_invoices WHERE payment_hash = $1', [hash]))[0];
const cursor = async () => Number((await query<{ settle_index: string }>("SELECT settle_index FROM l402_settlement_cursor WHERE name = 'invoices'"))[0]?.settle_index ?? 0);
const settled = (hash: string) => eventually(async () => ((await invoiceRow(hash))?.state === 'settled' ? true : undefined), `settlement of ${hash}`);

let first: { macaroon: string; preimage: string; paymentHash: string };
let app: RunningSatgate;

it('satgate stopped after the payment and before the first use, then started again: the paid token works', async () => {
  const one = await fx.startApp();
  const challenge = await request(`${one.url}/demo/paid`);
  assert.equal(challenge.status, 402);
  const preimage = await fx.pay(challenge.body.invoice);
  const paymentHash = (await query<{ payment_hash: string }>('SELECT payment_hash FROM l402_invoices'))[0].payment_hash;
  await settled(paymentHash);
  await one.close();

  app = await fx.startApp();
  const res = await request(`${app.url}/demo/paid`, l402Header(challenge.body.macaroon, preimage));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.service, 'demo');
  first = { macaroon: challenge.body.macaroon, preimage, paymentHash };
  assert.equal(app.app.get(SettlementFollower).resumedFrom, Number((await invoiceRow(paymentHash)).settle_index));
});

it('a settlement made while satgate is down is applied on start from the persisted index, without replaying older ones', async () => {
  const challenge = await request(`${app.url}/demo/paid`);
  const hash = (await query<{ payment_hash: string }>('SELECT payment_hash FROM l402_invoices WHERE payment_request = $1', [challenge.body.invoice]))[0]
    .payment_hash;
  const cursorBefore = await cursor();
  await app.close();

  const preimage = await fx.pay(challenge.body.invoice);
  assert.equal((await invoiceRow(hash)).state, 'open', 'nobody was listening');

  app = await fx.startApp();
  const follower = app.app.get(SettlementFollower);
  assert.equal(follower.resumedFrom, cursorBefore);
  await settled(hash);
  const row = await invoiceRow(hash);
  assert.equal(Number(row.settle_index), cursorBefore + 1);
  assert.equal(await cursor(), cursorBefore + 1);
  assert.equal(follower.applied, 1, 'only the missed settlement was delivered, the earlier one was not replayed');
  assert.equal((await request(`${app.url}/demo/paid`, l402Header(challenge.body.macaroon, preimage))).status, 200);
  assert.equal((await request(`${app.url}/demo/paid`, l402Header(first.macaroon, first.preimage))).status, 200);
});

it('unpaid challenges are purged after invoice expiry plus grace; paid ones (even with a missed settlement) stay', async () => {
  const unpaid = await request(`${app.url}/demo/paid`);
  const unpaidHash = (await query<{ payment_hash: string }>('SELECT payment_hash FROM l402_invoices WHERE payment_request = $1', [unpaid.body.invoice]))[0]
    .payment_hash;
  // Pretend the stream missed the first payment: the purge must ask the node before deleting anything.
  await query("UPDATE l402_invoices SET state = 'open', settled_at = NULL WHERE payment_hash = $1", [first.paymentHash]);
  await query("UPDATE l402_invoices SET expires_at = now() - interval '1 day' WHERE payment_hash = $1", [first.paymentHash]);

  const purger = app.app.get(ChallengePurger);
  const expiresAt = Date.parse(unpaid.body.expires_at);
  const tooEarly = await purger.purgeExpired(new Date(expiresAt + L402_DEFAULTS.purgeGraceSeconds * 1000 - 60_000));
  assert.deepEqual(tooEarly, { purged: 0, settled: 1 }, 'within the grace period nothing unpaid is removed');
  assert.equal((await invoiceRow(first.paymentHash)).state, 'settled', 'the missed settlement was recovered from the node');

  const result = await purger.purgeExpired(new Date(expiresAt + L402_DEFAULTS.purgeGraceSeconds * 1000 + 1000));
  assert.deepEqual(result, { purged: 1, settled: 0 });
  assert.equal(await invoiceRow(unpaidHash), undefined);
  assert.deepEqual(await query('SELECT token_id FROM l402_root_keys WHERE payment_hash = $1', [unpaidHash]), []);
  const left = await query<{ n: string }>("SELECT count(*) AS n FROM l402_invoices WHERE state = 'settled'");
  assert.equal(left[0].n, '2');
  assert.equal((await request(`${app.url}/demo/paid`, l402Header(first.macaroon, first.preimage))).status, 200);
  const purgedToken = await request(`${app.url}/demo/paid`, l402Header(unpaid.body.macaroon, '00'.repeat(32)));
  assert.equal(purgedToken.body.reason, 'bad_preimage');
});

it('one purge round clears every expired unpaid challenge, however many batches that takes', async () => {
  const hashes: string[] = [];
  let expiresAt = 0;
  for (let i = 0; i < 5; i++) {
    const res = await request(`${app.url}/demo/paid`);
    assert.equal(res.status, 402);
    expiresAt = Math.max(expiresAt, Date.parse(res.body.expires_at));
    hashes.push((await query<{ payment_hash: string }>('SELECT payment_hash FROM l402_invoices WHERE payment_request = $1', [res.body.invoice]))[0].payment_hash);
  }
  // Everything still open is expired by then (the earlier refusal above issued one more challenge).
  const open = Number((await query<{ n: string }>("SELECT count(*) AS n FROM l402_invoices WHERE state = 'open'"))[0].n);
  assert.ok(open >= 5, String(open));
  const defaults = L402_DEFAULTS as { purgeBatch: number };
  const batch = defaults.purgeBatch;
  defaults.purgeBatch = 2; // at least three batches in one round
  try {
    const result = await app.app.get(ChallengePurger).purgeExpired(new Date(expiresAt + L402_DEFAULTS.purgeGraceSeconds * 1000 + 1000));
    assert.deepEqual(result, { purged: open, settled: 0 });
  } finally {
    defaults.purgeBatch = batch;
  }
  assert.deepEqual(await query('SELECT payment_hash FROM l402_invoices WHERE payment_hash = ANY($1)', [hashes]), []);
  assert.deepEqual(await query('SELECT token_id FROM l402_root_keys WHERE payment_hash = ANY($1)', [hashes]), []);
  assert.deepEqual(await query("SELECT payment_hash FROM l402_invoices WHERE state = 'open'"), [], 'nothing left for the next round');
});
