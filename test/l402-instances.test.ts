/**
 * Scaling out (docs/architecture.md "Scaling out"): two satgate instances on the same real Postgres. A token
 * cached by instance B is revoked through instance A; B must refuse it within one second (LISTEN/NOTIFY).
 * Embedded Postgres is a single instance by design and carries no notifications between connections.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { databaseQueryCount } from '../src/database/query-counter';
import { ChallengePurger } from '../src/l402/challenge.purger';
import { adminHeaders } from './support/app';
import { resetDatabase } from './support/database';
import { l402Header, request, startL402Fixture, type L402Fixture } from './l402.fixture';

const embedded = process.env.TEST_DATABASE_KIND === 'embedded';
const skip = embedded ? 'embedded Postgres is one instance by design (no cross-connection NOTIFY); needs a real Postgres' : false;

let fx: L402Fixture | undefined;
let a: RunningSatgate;
let b: RunningSatgate;
before(async () => {
  if (embedded) return;
  await resetDatabase();
  fx = await startL402Fixture();
  a = await fx.startApp();
  b = await fx.startApp();
  // No periodic purge queries while B's hot path is measured.
  for (const app of [a, b]) await app.app.get(ChallengePurger).onApplicationShutdown();
});
after(() => fx?.stop());

it('a revocation through instance A is honoured by instance B within one second', { skip }, async () => {
  const challenge = await request(`${a.url}/demo/paid`);
  assert.equal(challenge.status, 402);
  const preimage = await fx!.pay(challenge.body.invoice);
  const auth = l402Header(challenge.body.macaroon, preimage);

  assert.equal((await request(`${b.url}/demo/paid`, auth)).status, 200);
  const queries = databaseQueryCount();
  const cached = await request(`${b.url}/demo/paid`, auth);
  assert.equal(cached.status, 200);
  assert.equal(databaseQueryCount(), queries, 'B answers from its cache, so only an invalidation can make it refuse');

  const revoked = await request(`${a.url}/admin/l402/${cached.body.token_id}`, adminHeaders, 'DELETE');
  assert.equal(revoked.status, 200);
  const revokedAt = Date.now();
  let refusedAfterMs: number | undefined;
  while (Date.now() - revokedAt < 3000) {
    const res = await request(`${b.url}/demo/paid`, auth);
    if (res.status === 402) {
      refusedAfterMs = Date.now() - revokedAt;
      assert.equal(res.body.reason, 'revoked');
      break;
    }
    assert.equal(res.status, 200);
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.ok(refusedAfterMs !== undefined, 'instance B never refused the revoked token');
  assert.ok(refusedAfterMs < 1000, `instance B refused it only after ${refusedAfterMs} ms`);
  const onA = await request(`${a.url}/demo/paid`, auth);
  assert.equal(onA.body.reason, 'revoked');
});
