/**
 * No invoice can be issued: the Lightning node is unreachable, or none is configured. Clients get
 * 503 {"error":"lightning_unavailable"} with Retry-After — never a 500 — and a paid token keeps working,
 * since verification needs no node.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { resetDatabase } from './support/database';
import { startTestApp, tempDir } from './support/app';
import { l402Header, request, startL402Fixture, type L402Fixture } from './l402.fixture';

let fx: L402Fixture;
before(async () => {
  await resetDatabase();
  fx = await startL402Fixture();
});
after(() => fx?.stop());

it('the node becomes unreachable while issuing: 503 lightning_unavailable with Retry-After; paid tokens still work', async () => {
  const app = await fx.startApp();
  const challenge = await request(`${app.url}/demo/paid`);
  assert.equal(challenge.status, 402);
  const preimage = await fx.pay(challenge.body.invoice);
  const auth = l402Header(challenge.body.macaroon, preimage);
  assert.equal((await request(`${app.url}/demo/paid`, auth)).status, 200);

  await fx.network.stop();
  const res = await request(`${app.url}/demo/paid`);
  assert.equal(res.status, 503);
  assert.deepEqual(res.body, { error: 'lightning_unavailable' });
  assert.deepEqual(res.headers.get('retry-after'), ['5']);
  assert.deepEqual(res.headers.get('cache-control'), ['no-store']);
  assert.equal(res.headers.get('www-authenticate'), undefined);

  assert.equal((await request(`${app.url}/demo/paid`, auth)).status, 200, 'verification does not need the node');
  const bad = await request(`${app.url}/demo/paid`, l402Header(challenge.body.macaroon, '00'.repeat(32)));
  assert.equal(bad.status, 503, 'a refused token cannot be re-challenged either');
});

it('no node configured (DATABASE_URL without LND_*): 503 lightning_unavailable, not a boot failure', async () => {
  const dataDir = tempDir('satgate-l402-nonode-');
  const app = await startTestApp({ DATA_DIR: dataDir });
  try {
    const res = await request(`${app.url}/demo/paid`);
    assert.equal(res.status, 503);
    assert.deepEqual(res.body, { error: 'lightning_unavailable' });
    assert.deepEqual(res.headers.get('retry-after'), ['5']);
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
