/**
 * Strict mode (L402_STRICT=true): a token is accepted only once its invoice is settled. Without
 * it, a preimage that leaked from the merchant node (logs, backups) unlocks the token unpaid.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { decodeIdentifier, macaroonFromBase64 } from '../src/core/l402';
import { databaseQueryCount } from '../src/database/query-counter';
import { ChallengePurger } from '../src/l402/challenge.purger';
import { resetDatabase } from './support/database';
import { l402Header, request, startL402Fixture, type L402Fixture } from './l402.fixture';

let fx: L402Fixture;
before(async () => {
  await resetDatabase();
  fx = await startL402Fixture();
});
after(() => fx?.stop());

async function leakedToken(app: RunningSatgate): Promise<{ body: any; preimage: string }> {
  const challenge = await request(`${app.url}/demo/paid`);
  assert.equal(challenge.status, 402);
  // The merchant node knows every preimage it generated: what a leak from the node would expose.
  const paymentHash = decodeIdentifier(macaroonFromBase64(challenge.body.macaroon).identifier).paymentHash.toString('hex');
  return { body: challenge.body, preimage: await fx.nodePreimage(paymentHash) };
}

it('without strict mode a leaked preimage unlocks an unpaid token (why strict mode exists)', async () => {
  const app = await fx.startApp();
  const { body, preimage } = await leakedToken(app);
  assert.equal((await request(`${app.url}/demo/paid`, l402Header(body.macaroon, preimage))).status, 200);
  await app.close();
});

it('strict mode: unpaid -> 402 unpaid with a fresh challenge; once paid -> 200, then served without queries', async () => {
  const app = await fx.startApp({ L402_STRICT: 'true' });
  await app.app.get(ChallengePurger).onApplicationShutdown();
  const { body, preimage } = await leakedToken(app);
  const refused = await request(`${app.url}/demo/paid`, l402Header(body.macaroon, preimage));
  assert.equal(refused.status, 402);
  assert.equal(refused.body.reason, 'unpaid');
  assert.notEqual(refused.body.invoice, body.invoice, 'a fresh challenge');

  assert.equal(await fx.pay(body.invoice), preimage);
  const ok = await request(`${app.url}/demo/paid`, l402Header(body.macaroon, preimage));
  assert.equal(ok.status, 200, JSON.stringify(ok.body));

  const queries = databaseQueryCount();
  for (let i = 0; i < 20; i++) assert.equal((await request(`${app.url}/demo/paid`, l402Header(body.macaroon, preimage))).status, 200);
  assert.equal(databaseQueryCount(), queries, 'settled is final: remembered, no query per request');
});
