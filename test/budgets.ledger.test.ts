/**
 * The budget ledger against the real database and the regtest network, below the HTTP layer: atomic
 * reservations under concurrency, settle/release, calendar periods in a time zone with a moved clock, and the
 * reconciler asking the paying node. satgate's LND_* point at the regtest *payer* here, the node that pays,
 * as in a deployment where the wallet behind the gateway shares satgate's node.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createInvoice } from 'lightning';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { BudgetsService } from '../src/budgets/budgets.service';
import { ReservationReconciler } from '../src/budgets/reservation.reconciler';
import { BudgetExceeded } from '../src/core/budget';
import { CLOCK } from '../src/common/clock.module';
import type { Clock } from '../src/core/clock';
import { startL402Fixture, type L402Fixture } from './l402.fixture';
import { query, resetDatabase } from './support/database';

let fx: L402Fixture;
let satgate: RunningSatgate;
let budgets: BudgetsService;
let clock: Clock;
const realNow = (): Date => new Date();

before(async () => {
  await resetDatabase();
  fx = await startL402Fixture();
  satgate = await fx.startApp({
    LND_SOCKET: fx.network.payer.socket,
    LND_CERT: fx.network.payer.certPath,
    LND_MACAROON: fx.network.payer.adminMacaroonPath,
    BUDGET_TIME_ZONE: 'Europe/Berlin',
    BUDGET_RECONCILE_AFTER_SECONDS: '30',
  });
  budgets = satgate.app.get(BudgetsService);
  clock = satgate.app.get<Clock>(CLOCK);
});
after(async () => {
  await fx?.stop();
});

function at(iso: string): void {
  const t = new Date(iso).getTime();
  clock.now = () => new Date(t);
}

/** A grant row of a fresh client, as a code exchange leaves it. */
async function newGrant(): Promise<string> {
  const clientId = `c-${randomUUID()}`;
  await query(`INSERT INTO oauth_clients (client_id, secret_hash, public, name, domain) VALUES ($1, NULL, true, 'Budget test', 'https://app.example.com')`, [clientId]);
  const id = randomUUID();
  await query(
    `INSERT INTO oauth_grants (id, client_id, user_id, grant_type, scopes, access_ttl_seconds, expires_at) VALUES ($1, $2, 'u1', 'authorization_code', '["payments:send"]', 7200, now() + interval '1 day')`,
    [id, clientId],
  );
  return id;
}

async function ledger(grantId: string): Promise<{ state: string; n: number; amount: number; counted: number }[]> {
  return query(
    `SELECT state, count(*)::int AS n, sum(amount_sat)::int AS amount,
            sum(amount_sat + CASE WHEN state = 'settled' THEN fee_sat ELSE fee_reserve_sat END)::int AS counted
       FROM payment_reservations WHERE grant_id = $1 GROUP BY state ORDER BY state`,
    [grantId],
  );
}

describe('reservations', () => {
  test('100 concurrent 100-sat reservations against 1,000 sats: exactly the 9 that fit (110 with the fee reserve)', { timeout: 120_000 }, async () => {
    clock.now = realNow;
    const grantId = await newGrant();
    await budgets.setLimit(grantId, { maxAmountSat: 1000, renewal: 'never' });
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => budgets.reserve(grantId, 'test', { amountSat: 100 })));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(ok.length, 9);
    assert.equal(refused.length, 91);
    for (const r of refused) assert.ok(r.reason instanceof BudgetExceeded, String(r.reason));
    assert.deepEqual(await ledger(grantId), [{ state: 'pending', n: 9, amount: 900, counted: 990 }]);
    const view = await budgets.view(grantId);
    assert.deepEqual([view?.used_sat, view?.remaining_sat, view?.warning], [990, 10, true]);
  });

  test('settling at the real fee frees the rest of the reserve; releasing frees it all; neither acts twice', async () => {
    clock.now = realNow;
    const grantId = await newGrant();
    await budgets.setLimit(grantId, { maxAmountSat: 250, renewal: 'never' });
    const a = await budgets.reserve(grantId, 'test', { amountSat: 100 });
    const b = await budgets.reserve(grantId, 'test', { amountSat: 100 });
    await assert.rejects(budgets.reserve(grantId, 'test', { amountSat: 21 }), (err: unknown) => {
      assert.ok(err instanceof BudgetExceeded);
      assert.equal(err.toBody().budget.used_sat, 220);
      assert.equal(err.neededSat, 31);
      return true;
    });
    assert.equal(await budgets.settle(a, { amountSat: 100, feeSat: 1 }, 'origin answered 200'), true);
    assert.equal(await budgets.settle(a, { amountSat: 100, feeSat: 0 }, 'again'), false);
    assert.equal((await budgets.view(grantId))?.used_sat, 211);
    assert.equal(await budgets.release(b.id, 'origin answered 400'), true);
    assert.equal(await budgets.release(b.id, 'again'), false);
    assert.equal((await budgets.view(grantId))?.used_sat, 101);
    const c = await budgets.reserve(grantId, 'test', { amountSat: 139 });
    assert.deepEqual([c.feeReserveSat, c.budget.used_sat, c.budget.remaining_sat], [10, 250, 0]);
    assert.deepEqual(await ledger(grantId), [
      { state: 'pending', n: 1, amount: 139, counted: 149 },
      { state: 'released', n: 1, amount: 100, counted: 110 },
      { state: 'settled', n: 1, amount: 100, counted: 101 },
    ]);
  });

  test('a grant that predates budgets gets the default budget at its first payment', async () => {
    clock.now = realNow;
    const grantId = await newGrant();
    const r = await budgets.reserve(grantId, 'test', { amountSat: 5 });
    assert.deepEqual([r.budget.max_amount_sat, r.budget.budget_renewal, r.budget.used_sat], [10_000, 'monthly', 15]);
  });

  test('unlimited only where the operator allows it', async () => {
    const grantId = await newGrant();
    await assert.rejects(budgets.setLimit(grantId, { maxAmountSat: null, renewal: 'never' }), /does not allow payments:send without a budget/);
  });
});

describe('periods in Europe/Berlin with a moved clock', () => {
  after(() => {
    clock.now = realNow;
  });

  test('monthly: the budget renews at local midnight on the 1st, not at UTC midnight', async () => {
    const grantId = await newGrant();
    await budgets.setLimit(grantId, { maxAmountSat: 100, renewal: 'monthly' });
    at('2026-11-30T22:59:59Z'); // 23:59:59 on 30 November in Berlin
    const r = await budgets.reserve(grantId, 'test', { amountSat: 90 });
    assert.equal(r.budget.renews_at, '2026-11-30T23:00:00.000Z');
    await assert.rejects(budgets.reserve(grantId, 'test', { amountSat: 1 }), BudgetExceeded);
    at('2026-11-30T23:00:00Z'); // midnight, 1 December, in Berlin (still 30 November in UTC)
    const view = await budgets.view(grantId);
    assert.deepEqual([view?.used_sat, view?.period_start, view?.renews_at], [0, '2026-11-30T23:00:00.000Z', '2026-12-31T23:00:00.000Z']);
    await budgets.reserve(grantId, 'test', { amountSat: 90 });
    await assert.rejects(budgets.reserve(grantId, 'test', { amountSat: 1 }), BudgetExceeded);
  });

  test('weekly: renews on Monday 00:00 local time, across the DST change', async () => {
    const grantId = await newGrant();
    await budgets.setLimit(grantId, { maxAmountSat: 50, renewal: 'weekly' });
    at('2026-03-29T21:59:00Z'); // Sunday 29 March 23:59 CEST, the day clocks went forward
    const r = await budgets.reserve(grantId, 'test', { amountSat: 40 });
    assert.equal(r.budget.renews_at, '2026-03-29T22:00:00.000Z');
    at('2026-03-29T22:00:00Z'); // Monday 30 March 00:00 CEST
    assert.equal((await budgets.view(grantId))?.used_sat, 0);
    assert.equal((await budgets.view(grantId))?.renews_at, '2026-04-05T22:00:00.000Z');
  });

  test('never: a lifetime cap whatever the clock says', async () => {
    const grantId = await newGrant();
    await budgets.setLimit(grantId, { maxAmountSat: 50, renewal: 'never' });
    at('2026-01-01T00:00:00Z');
    await budgets.reserve(grantId, 'test', { amountSat: 40 });
    at('2030-01-01T00:00:00Z');
    await assert.rejects(budgets.reserve(grantId, 'test', { amountSat: 1 }), BudgetExceeded);
  });
});

describe('reconciler', () => {
  after(() => {
    clock.now = realNow;
  });

  async function merchantInvoice(sats: number): Promise<{ id: string; request: string }> {
    return createInvoice({ lnd: fx.merchant, tokens: sats });
  }

  test('asks the paying node: succeeded is settled at its cost, failed and never-started released, in flight kept', { timeout: 120_000 }, async () => {
    clock.now = realNow;
    // Only this test's reservations are pending (the others' would be looked at too).
    await query(`UPDATE payment_reservations SET state = 'released', resolved_at = now() WHERE state = 'pending'`);
    const grantId = await newGrant();
    await budgets.setLimit(grantId, { maxAmountSat: 10_000, renewal: 'never' });
    const reconciler = satgate.app.get(ReservationReconciler);

    const paid = await merchantInvoice(300);
    const held = await merchantInvoice(200);
    const never = await merchantInvoice(100);
    const rPaid = await budgets.reserve(grantId, 'test', { amountSat: 300, paymentHash: paid.id });
    const rHeld = await budgets.reserve(grantId, 'test', { amountSat: 200, paymentHash: held.id });
    const rNever = await budgets.reserve(grantId, 'test', { amountSat: 100, paymentHash: never.id });
    const rKeysend = await budgets.reserve(grantId, 'test', { amountSat: 50 });
    await fx.pay(paid.request);
    const hold = fx.network.holdPayment(held.id);
    const inFlight = fx.pay(held.request);
    inFlight.catch(() => undefined); // awaited below; never an unhandled rejection if an assertion fails first
    const deadline = Date.now() + 60_000;
    while ((await fx.payer.getPayment(held.id)).status !== 'in_flight') {
      assert.ok(Date.now() < deadline, 'the held payment never showed in flight');
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const r of [rPaid, rHeld, rKeysend]) await budgets.keepPending(r.id, 'origin timed out');

    // Too recent: nothing is looked at yet (the origin may still be working on them).
    assert.deepEqual(await reconciler.reconcile(), { settled: 0, released: 0, stillPending: 0 });

    const later = Date.now() + 31_000;
    clock.now = () => new Date(later);
    assert.deepEqual(await reconciler.reconcile(), { settled: 1, released: 1, stillPending: 2 });
    const rows = await query<{ id: string; state: string; fee_sat: string | null; note: string }>(
      'SELECT id, state, fee_sat, note FROM payment_reservations WHERE grant_id = $1',
      [grantId],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    assert.deepEqual([byId.get(rPaid.id)?.state, byId.get(rPaid.id)?.fee_sat], ['settled', '0']);
    assert.equal(byId.get(rHeld.id)?.state, 'pending');
    assert.deepEqual([byId.get(rNever.id)?.state, byId.get(rNever.id)?.note], ['released', 'reconciled: the node never started this payment']);
    assert.equal(byId.get(rKeysend.id)?.state, 'pending');

    await hold.release('fail');
    await assert.rejects(inFlight);
    assert.deepEqual(await reconciler.reconcile(), { settled: 0, released: 1, stillPending: 1 });
    const after = await query<{ state: string; note: string }>('SELECT state, note FROM payment_reservations WHERE id = $1', [rHeld.id]);
    assert.deepEqual(after, [{ state: 'released', note: 'reconciled: the node reports the payment failed' }]);
    assert.equal((await budgets.view(grantId))?.used_sat, 300 + 50 + 10);
  });
});
