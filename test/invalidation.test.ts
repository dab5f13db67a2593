/**
 * The InvalidationBus keeps hot-path caches honest when its LISTEN connection drops: notifications sent
 * meanwhile are lost, so after reconnecting every cache is dropped. Real Postgres only (embedded mode is a
 * single instance with local delivery).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { InvalidationBus } from '../src/database/invalidation.bus';
import { startTestApp } from './support/app';
import { query, resetDatabase } from './support/database';
import { exchangeCode, getWithBearer, obtainCode, registerClient } from './oauth.helpers';

const embedded = process.env.TEST_DATABASE_KIND === 'embedded';
let satgate: RunningSatgate;

before(async () => {
  if (embedded) return;
  await resetDatabase();
  satgate = await startTestApp();
});
after(() => satgate?.close());

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

test('a revocation whose notification was missed is honoured once the listener reconnects', { skip: embedded && 'embedded Postgres: one instance, local invalidation only' }, async () => {
  const url = satgate.url;
  const app = await registerClient(url, { domain: 'https://app.example.com/callback' });
  const tokens = await exchangeCode(url, app, await obtainCode(url, app, { scope: 'account:read' }));
  assert.equal((await getWithBearer(url, '/demo/me', tokens.access_token)).status, 200, 'cached now');

  // Revoke behind satgate's back (no NOTIFY), as if the notification had been lost.
  await query('UPDATE oauth_grants SET revoked_at = now() WHERE revoked_at IS NULL');
  assert.equal((await getWithBearer(url, '/demo/me', tokens.access_token)).status, 200, 'the cache does not know yet');

  const bus = satgate.app.get(InvalidationBus);
  await query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'satgate-invalidation' AND datname = current_database()`);
  assert.ok(await until(async () => !bus.listening, 5000), 'the listener noticed the lost connection');
  assert.ok(await until(async () => bus.listening, 10_000), 'the listener reconnected');
  assert.equal((await getWithBearer(url, '/demo/me', tokens.access_token)).status, 401, 'caches were dropped on reconnect');
  const listeners = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'satgate-invalidation' AND datname = current_database()`,
  );
  assert.equal(listeners[0].n, 1, 'exactly one listening connection after the reconnect');
});
