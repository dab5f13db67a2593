import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BannerService } from '../src/common/banner.service';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { mustCreateRoute, updateRoute } from './gateway.fixtures';
import { adminHeaders, startTestApp } from './support/app';
import { query, resetDatabase } from './support/database';

let satgate: RunningSatgate;

before(async () => {
  await resetDatabase();
  satgate = await startTestApp({ DEMO: 'true' });
});

after(() => satgate?.close());

/** The demo table: Alby's production routes (oauth, one scope each) and the /v1 routes, one per mode. */
const EXPECTED = [
  ['alby-post-invoices', 'POST', '/invoices', 'oauth', ['invoices:create'], null],
  ['alby-get-invoices-incoming', 'GET', '/invoices/incoming', 'oauth', ['invoices:read'], null],
  ['alby-get-invoices-outgoing', 'GET', '/invoices/outgoing', 'oauth', ['transactions:read'], null],
  ['alby-get-invoices-payment-hash', 'GET', '/invoices/:payment_hash', 'oauth', ['invoices:create'], null],
  ['alby-get-balance', 'GET', '/balance', 'oauth', ['balance:read'], null],
  ['alby-get-user-value4value', 'GET', '/user/value4value', 'oauth', ['account:read'], null],
  ['alby-post-payments-bolt11', 'POST', '/payments/bolt11', 'oauth', ['payments:send'], null],
  ['alby-post-payments-keysend', 'POST', '/payments/keysend', 'oauth', ['payments:send'], null],
  ['v1-quote', 'GET', '/v1/quote', 'l402', [], 5],
  ['v1-reports', 'POST', '/v1/reports', 'both', ['reports:write'], 50],
  ['v1-data', 'GET', '/v1/data', 'either', ['data:read'], 2],
  ['v1-stream', 'GET', '/v1/stream', 'oauth', ['invoices:read'], null],
  ['v1-ws', 'GET', '/v1/ws', 'oauth', ['invoices:read'], null],
];

async function listRoutes(url: string): Promise<any[]> {
  const res = await fetch(`${url}/admin/routes`, { headers: adminHeaders });
  assert.equal(res.status, 200);
  return ((await res.json()) as any).routes;
}

test("demo mode seeds Alby's production table and the /v1 routes in front of the demo origin, in table order", async () => {
  const routes = await listRoutes(satgate.url);
  assert.deepEqual(
    routes.map((r) => [r.name, r.methods.join(','), r.path, r.mode, r.scopes, r.price]),
    EXPECTED,
  );
  assert.ok(routes.every((r) => r.origin === 'demo:' && r.enabled));
  assert.deepEqual(routes.filter((r) => r.price).map((r) => r.service), ['v1-quote', 'v1-reports', 'v1-data']);
});

test('the seeded oauth routes answer the Bearer challenge through the gateway (no token: 401, no error code)', async () => {
  for (const [method, path] of [['GET', '/balance'], ['GET', '/invoices/abc'], ['POST', '/payments/bolt11'], ['GET', '/v1/stream']]) {
    const res = await fetch(`${satgate.url}${path}`, { method });
    assert.equal(res.status, 401, `${method} ${path}`);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="satgate"');
    assert.equal(res.headers.get('cache-control'), 'no-store');
  }
  const wrongMethod = await fetch(`${satgate.url}/balance`, { method: 'DELETE' });
  assert.equal(wrongMethod.status, 404);
});

test('"demo:" routes follow the demo origin; an instance without the demo origin answers 502', async () => {
  await mustCreateRoute(satgate.url, { name: 'demo-open', path: '/open/*', rewrite: '/*', origin: 'demo:', mode: 'none' });
  const res = await fetch(`${satgate.url}/open/balance`);
  assert.equal(res.status, 200);
  const body = (await res.json()) as any;
  assert.deepEqual(body.BTC, { AvailableBalance: 21000 });
  assert.equal(body.received.authorization, undefined);

  const plain = await startTestApp({ DEMO: 'false' });
  try {
    const down = await fetch(`${plain.url}/open/balance`);
    assert.equal(down.status, 502);
    assert.deepEqual(await down.json(), { error: 'bad_gateway', error_description: 'the origin of route demo-open is not running', route: 'demo-open' });
  } finally {
    await plain.close();
  }
});

test('seeding is idempotent: a restart adds nothing and keeps what the operator changed', async () => {
  assert.equal((await updateRoute(satgate.url, 'v1-quote', { price: 7 })).status, 200);
  const before = await query<{ n: string }>('SELECT count(*) AS n FROM gateway_routes');
  const again = await startTestApp({ DEMO: 'true' });
  try {
    const after = await query<{ n: string }>('SELECT count(*) AS n FROM gateway_routes');
    assert.deepEqual(after, before);
    const quote = (await listRoutes(again.url)).find((r) => r.name === 'v1-quote');
    assert.equal(quote.price, 7);
  } finally {
    await again.close();
  }
});

test('the banner shows one curl line per policy mode, plus SSE and WebSocket', async () => {
  const sections = await satgate.app.get(BannerService).render();
  const gateway = sections.find((s) => s.title.startsWith('Gateway'));
  assert.ok(gateway, `sections: ${sections.map((s) => s.title).join(', ')}`);
  assert.ok(gateway.title.includes(satgate.runtime.demoOriginUrl!));
  const byMode = Object.fromEntries(gateway.lines.map((l) => [l.split(/\s+/)[0], l]));
  const url = satgate.runtime.config.publicUrl;
  assert.match(byMode.oauth, new RegExp(`^oauth\\s+curl -H "Authorization: Bearer \\$ACCESS_TOKEN" ${url}/balance$`));
  assert.match(byMode.l402, new RegExp(`^l402\\s+curl -i ${url}/v1/quote`));
  assert.match(byMode.both, new RegExp(`^both\\s+curl -i -X POST .*${url}/v1/reports`));
  assert.match(byMode.either, new RegExp(`^either\\s+curl -i ${url}/v1/data`));
  assert.match(byMode.sse, new RegExp(`^sse\\s+curl -N .*${url}/v1/stream$`));
  assert.match(byMode.ws, /^ws\s+.*ws:\/\/127\.0\.0\.1:\d+\/v1\/ws$/);
});
