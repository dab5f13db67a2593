/**
 * Orphan invoices: a challenge whose invoice the node created but whose recording failed (database down
 * between the two, a crash) leaves an invoice satgate never recorded. The reconciliation records every such
 * invoice of satgate's (by its memo) with the node's state, at start and periodically, exactly once, and
 * leaves the node's other invoices alone.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createInvoice, getInvoices } from 'lightning';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { invoiceMemo } from '../src/l402/challenge.issuer';
import { InvoiceReconciler } from '../src/l402/invoice.reconciler';
import { query, resetDatabase } from './support/database';
import { eventually, request, startL402Fixture, type L402Fixture } from './l402.fixture';

let fx: L402Fixture;
let app: RunningSatgate;
before(async () => {
  await resetDatabase();
  fx = await startL402Fixture();
  app = await fx.startApp();
});
after(() => fx?.stop());

interface Row {
  payment_hash: string;
  state: string;
  service: string;
  resource: string;
  amount_sats: string;
  payment_request: string;
}
const rowOf = async (hash: string) => (await query<Row>('SELECT * FROM l402_invoices WHERE payment_hash = $1', [hash]))[0];
const nodeInvoices = async () => (await getInvoices({ lnd: fx.merchant, limit: 10_000 })).invoices;

// Makes every insert into l402_invoices fail the way a server shutting down does (SQLSTATE 57P01).
const refuseInserts = () =>
  query(`
    CREATE FUNCTION refuse_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'terminating connection due to administrator command' USING ERRCODE = '57P01'; END $$;
    CREATE TRIGGER refuse_insert BEFORE INSERT ON l402_invoices FOR EACH ROW EXECUTE FUNCTION refuse_insert();`);
const acceptInserts = () => query('DROP TRIGGER refuse_insert ON l402_invoices; DROP FUNCTION refuse_insert();');

it('an invoice created while the database insert fails: 503 to the client, then recorded by the next round', async () => {
  const before = new Set((await nodeInvoices()).map((i) => i.id));
  await refuseInserts();
  let res;
  try {
    res = await request(`${app.url}/demo/paid`);
  } finally {
    await acceptInserts();
  }
  assert.equal(res.status, 503, JSON.stringify(res.body));
  assert.deepEqual(res.body, { error: 'database_unavailable', error_description: 'the database is unreachable; retry later' });
  assert.deepEqual(res.headers.get('retry-after'), ['5']);

  const created = (await nodeInvoices()).filter((i) => !before.has(i.id));
  assert.equal(created.length, 1, 'the node created the invoice before the insert failed');
  const orphan = created[0];
  assert.equal(await rowOf(orphan.id), undefined, 'not recorded yet');
  assert.equal((await query('SELECT 1 FROM l402_root_keys WHERE payment_hash = $1', [orphan.id])).length, 0);

  const result = await app.app.get(InvoiceReconciler).reconcile();
  assert.equal(result.recorded, 1);
  const row = await rowOf(orphan.id);
  assert.equal(row.state, 'open');
  assert.equal(row.service, 'demo');
  assert.equal(row.resource, 'GET /demo/paid', 'the kept row still knows its route');
  assert.equal(Number(row.amount_sats), orphan.tokens);
  assert.equal(row.payment_request, orphan.request);
});

it('at start: satgate invoices the table lacks are recorded with the node state (a paid one settled); others left alone; no duplicates', async () => {
  await app.close();
  // What a crash between createInvoice and the insert leaves: invoices with satgate's memo, unrecorded.
  const open = await createInvoice({ lnd: fx.merchant, tokens: 21, description: invoiceMemo('weather') });
  const paid = await createInvoice({ lnd: fx.merchant, tokens: 34, description: invoiceMemo('satgate') });
  await fx.pay(paid.request);
  const foreign = await createInvoice({ lnd: fx.merchant, tokens: 55, description: 'coffee' });

  app = await fx.startApp();
  const openRow = await eventually(async () => rowOf(open.id), 'the open orphan recorded at start', 30_000);
  assert.equal(openRow.state, 'open');
  assert.equal(openRow.service, 'weather');
  assert.equal(openRow.resource, '', 'an orphan names no route');
  assert.equal(Number(openRow.amount_sats), 21);
  const paidRow = await eventually(async () => rowOf(paid.id), 'the paid orphan recorded at start', 30_000);
  assert.equal(paidRow.state, 'settled', 'no payment is missing from the table');
  assert.equal(Number(paidRow.amount_sats), 34);
  assert.equal(await rowOf(foreign.id), undefined, 'an invoice satgate did not issue is none of its business');

  const again = await app.app.get(InvoiceReconciler).reconcile({ marginMs: 0 });
  assert.equal(again.recorded, 0, 'a second round records nothing twice');

  const ours = (await nodeInvoices()).filter((i) => / \(satgate\)$/.test(i.description ?? '') && !i.is_canceled);
  const rows = await query<{ payment_hash: string; state: string }>('SELECT payment_hash, state FROM l402_invoices');
  assert.equal(rows.length, ours.length, 'one row per satgate invoice on the node');
  const states = new Map(rows.map((r) => [r.payment_hash, r.state]));
  for (const inv of ours) assert.equal(states.get(inv.id), inv.is_confirmed ? 'settled' : 'open', `state of ${inv.id}`);
});
