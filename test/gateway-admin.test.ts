import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { createRoute, mustCreateRoute, Seen, startTestOrigin, TestOrigin, updateRoute } from './gateway.fixtures';
import { adminHeaders, startTestApp } from './support/app';
import { query, resetDatabase } from './support/database';

let satgate: RunningSatgate;
let origin: TestOrigin;

before(async () => {
  await resetDatabase();
  origin = await startTestOrigin();
  satgate = await startTestApp();
});

after(async () => {
  await satgate?.close();
  await origin?.stop();
});

async function echoUrl(res: Response): Promise<string> {
  assert.equal(res.status, 200, `status ${res.status}`);
  return ((await res.json()) as Seen).url;
}

test('the route API needs the admin token', async () => {
  const res = await fetch(`${satgate.url}/admin/routes`);
  assert.equal(res.status, 401);
  assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="satgate-admin"');
  const post = await fetch(`${satgate.url}/admin/routes`, {
    method: 'POST',
    headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'x', path: '/x', origin: origin.url, mode: 'none' }),
  });
  assert.equal(post.status, 401);
  assert.deepEqual(await query('SELECT name FROM gateway_routes WHERE name = $1', ['x']), []);
});

test('a route created through /admin/routes serves traffic at once, without restart', async () => {
  assert.equal((await fetch(`${satgate.url}/live/ping`)).status, 404);
  const created = await createRoute(satgate.url, { name: 'live', methods: ['get'], path: '/live/*', origin: origin.url, mode: 'none', rewrite: '/echo/*' });
  assert.equal(created.status, 201);
  assert.match(created.body.id, /^[0-9a-f-]{36}$/);
  assert.deepEqual({ ...created.body, id: undefined, createdAt: undefined, updatedAt: undefined }, {
    id: undefined, name: 'live', methods: ['GET'], path: '/live/*', host: null, origin: origin.url, rewrite: '/echo/*', mode: 'none',
    scopes: [], price: null, lifetime: null, service: null, tier: null, capabilities: [], capability: null, timeoutMs: null,
    enabled: true, position: created.body.position, createdAt: undefined, updatedAt: undefined,
  });
  assert.equal(await echoUrl(await fetch(`${satgate.url}/live/ping?x=1`)), '/echo/ping?x=1');
  assert.equal((await fetch(`${satgate.url}/live/ping`, { method: 'POST' })).status, 404, 'only the listed methods');

  const byName = await fetch(`${satgate.url}/admin/routes/live`, { headers: adminHeaders });
  assert.equal(byName.status, 200);
  assert.equal(((await byName.json()) as any).id, created.body.id);
  const listed = (await (await fetch(`${satgate.url}/admin/routes`, { headers: adminHeaders })).json()) as any;
  assert.ok(listed.routes.some((r: any) => r.id === created.body.id));
});

test('an update applies at once: a moved path, a disabled route answering 404, re-enabled, then deleted', async () => {
  await mustCreateRoute(satgate.url, { name: 'movable', path: '/old', origin: origin.url, mode: 'none', rewrite: '/echo/movable' });
  assert.equal(await echoUrl(await fetch(`${satgate.url}/old`)), '/echo/movable');

  const moved = await updateRoute(satgate.url, 'movable', { path: '/new' });
  assert.equal(moved.status, 200);
  assert.equal(moved.body.path, '/new');
  assert.equal((await fetch(`${satgate.url}/old`)).status, 404);
  assert.equal(await echoUrl(await fetch(`${satgate.url}/new`)), '/echo/movable');

  assert.equal((await updateRoute(satgate.url, 'movable', { enabled: false })).status, 200);
  const disabled = await fetch(`${satgate.url}/new`);
  assert.equal(disabled.status, 404);
  assert.deepEqual(await disabled.json(), { error: 'not_found', error_description: 'no route for GET on this path' });

  assert.equal((await updateRoute(satgate.url, 'movable', { enabled: true })).status, 200);
  assert.equal((await fetch(`${satgate.url}/new`)).status, 200);

  const del = await fetch(`${satgate.url}/admin/routes/movable`, { method: 'DELETE', headers: adminHeaders });
  assert.equal(del.status, 204);
  assert.equal((await fetch(`${satgate.url}/new`)).status, 404);
  assert.equal((await fetch(`${satgate.url}/admin/routes/movable`, { headers: adminHeaders })).status, 404);
});

test('a disabled route also keeps a later catch-all from serving its path', async () => {
  await mustCreateRoute(satgate.url, { name: 'guarded-off', path: '/payments/send', origin: origin.url, mode: 'oauth', enabled: false, position: 1 });
  await mustCreateRoute(satgate.url, { name: 'catch-all', path: '/*', origin: origin.url, mode: 'none', rewrite: '/echo/*', position: 100_000 });
  try {
    assert.equal((await fetch(`${satgate.url}/payments/send`)).status, 404);
    assert.equal(await echoUrl(await fetch(`${satgate.url}/anything/else`)), '/echo/anything/else');
    assert.equal((await fetch(`${satgate.url}/oauth/unknown`)).status, 404, "a catch-all never serves satgate's own paths");
    assert.equal((await fetch(`${satgate.url}/health`)).status, 200, "satgate's own routes are untouched");
  } finally {
    await fetch(`${satgate.url}/admin/routes/catch-all`, { method: 'DELETE', headers: adminHeaders });
  }
});

test('first match by position: a parameter route placed after a literal one does not capture it', async () => {
  await mustCreateRoute(satgate.url, { name: 'inv-param', path: '/inv/:payment_hash', origin: origin.url, mode: 'none', rewrite: '/echo/param/:payment_hash', position: 20 });
  await mustCreateRoute(satgate.url, { name: 'inv-incoming', path: '/inv/incoming', origin: origin.url, mode: 'none', rewrite: '/echo/incoming', position: 10 });
  assert.equal(await echoUrl(await fetch(`${satgate.url}/inv/incoming`)), '/echo/incoming');
  assert.equal(await echoUrl(await fetch(`${satgate.url}/inv/abc123`)), '/echo/param/abc123');
  assert.equal((await updateRoute(satgate.url, 'inv-param', { position: 5 })).status, 200);
  assert.equal(await echoUrl(await fetch(`${satgate.url}/inv/incoming`)), '/echo/param/incoming');
});

test('a host-bound route answers only for its host', async () => {
  await mustCreateRoute(satgate.url, { name: 'host-bound', path: '/hosted', host: 'api.example', origin: origin.url, mode: 'none', rewrite: '/echo/hosted' });
  assert.equal((await fetch(`${satgate.url}/hosted`)).status, 404);
  const port = new URL(satgate.url).port;
  const res = await new Promise<number>((resolve, reject) => {
    // fetch() does not let a test set Host; node:http does.
    http
      .get({ host: '127.0.0.1', port, path: '/hosted', headers: { host: 'api.example' } }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      })
      .on('error', reject);
  });
  assert.equal(res, 200);
});

test("a route that would shadow satgate's own paths is refused with 400 naming the field", async () => {
  for (const path of ['/oauth/token', '/oauth/*', '/admin/x', '/health', '/metrics', '/demo/paid', '/clients', '/.well-known/oauth-authorization-server', '/docs', '/docs-json']) {
    const res = await createRoute(satgate.url, { name: 'shadow', path, origin: origin.url, mode: 'none' });
    assert.equal(res.status, 400, path);
    assert.equal(res.body.error, 'invalid_request');
    assert.equal(res.body.field, 'path');
    assert.match(res.body.error_description, /shadow satgate's own/);
  }
  await mustCreateRoute(satgate.url, { name: 'not-shadow', path: '/x/oauth/token', origin: origin.url, mode: 'none' });
  const moved = await updateRoute(satgate.url, 'not-shadow', { path: '/oauth/token' });
  assert.equal(moved.status, 400);
  assert.equal(moved.body.field, 'path');
  assert.deepEqual(await query('SELECT path FROM gateway_routes WHERE name = $1', ['not-shadow']), [{ path: '/x/oauth/token' }]);
});

test('bad input is a 400 naming the field; a taken name is 409; an unknown route 404', async () => {
  const base = { name: 'valid-name', path: '/v', origin: origin.url, mode: 'none' };
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ ...base, name: undefined }, 'name'],
    [{ ...base, mode: 'paid' }, 'mode'],
    [{ ...base, origin: 'ftp://example.com' }, 'origin'],
    [{ ...base, path: 'relative' }, 'path'],
    [{ ...base, path: '/a/:id', rewrite: '/b/:nope' }, 'rewrite'],
    [{ ...base, mode: 'l402' }, 'price'],
    [{ ...base, mode: 'l402', price: 0 }, 'price'],
    [{ ...base, mode: 'oauth', scopes: 'balance:read' }, 'scopes'],
    [{ ...base, timeoutMs: 5 }, 'timeoutMs'],
    [{ ...base, methods: ['BREW'] }, 'methods'],
    // Settings a challenge could not mint or the columns could not hold: refused here, not on first use.
    [{ ...base, mode: 'l402', price: 1, tier: 256 }, 'tier'],
    [{ ...base, mode: 'l402', price: 1, lifetime: 10 * 365 * 24 * 3600 + 1 }, 'lifetime'],
    [{ ...base, mode: 'l402', price: 1, lifetime: 2 ** 31 }, 'lifetime'],
    [{ ...base, mode: 'l402', price: 100_000_001 }, 'price'],
    [{ ...base, surprise: true }, 'surprise'],
  ];
  for (const [body, field] of cases) {
    const res = await createRoute(satgate.url, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.body.field, field, JSON.stringify(res.body));
  }
  await mustCreateRoute(satgate.url, base);
  const dup = await createRoute(satgate.url, { ...base, path: '/w' });
  assert.equal(dup.status, 409);
  assert.equal((await fetch(`${satgate.url}/admin/routes/no-such-route`, { headers: adminHeaders })).status, 404);
  assert.equal((await updateRoute(satgate.url, '00000000-0000-4000-8000-000000000000', { enabled: false })).status, 404);
  const patched = await updateRoute(satgate.url, 'valid-name', { mode: 'l402', price: 1, tier: 300 });
  assert.deepEqual([patched.status, patched.body.field], [400, 'tier']);
  const edge = await updateRoute(satgate.url, 'valid-name', { mode: 'l402', price: 100_000_000, tier: 255, lifetime: 10 * 365 * 24 * 3600 });
  assert.equal(edge.status, 200, JSON.stringify(edge.body));
});

test('a route id or name that cannot name a route is a 404 without reaching the database', async () => {
  for (const idOrName of ['bad%00name', 'UPPER', 'x'.repeat(300), 'a%20b', '00000000-0000-4000-8000-00000000000g']) {
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const res = await fetch(`${satgate.url}/admin/routes/${idOrName}`, {
        method,
        headers: method === 'PATCH' ? { ...adminHeaders, 'content-type': 'application/json' } : adminHeaders,
        body: method === 'PATCH' ? '{"enabled":false}' : undefined,
      });
      assert.equal(res.status, 404, `${method} ${idOrName}`);
      assert.equal(((await res.json()) as { error: string }).error, 'not_found', `${method} ${idOrName}`);
    }
  }
  // Bytes that are not UTF-8 never make a parameter: the router refuses the URL itself.
  const undecodable = await fetch(`${satgate.url}/admin/routes/%FF%FE`, { headers: adminHeaders });
  assert.equal(undecodable.status, 400);
  assert.equal(((await undecodable.json()) as { error: string }).error, 'invalid_request');
});

test('an L402 route gets its name as service at creation, kept across a rename', async () => {
  const created = await mustCreateRoute(satgate.url, { name: 'quote-a', path: '/quote-a', origin: origin.url, mode: 'l402', price: 5, lifetime: 3600 });
  assert.equal(created.service, 'quote-a');
  const renamed = await updateRoute(satgate.url, 'quote-a', { name: 'quote-b' });
  assert.equal(renamed.status, 200);
  assert.equal(renamed.body.service, 'quote-a');
  const toOauth = await updateRoute(satgate.url, 'quote-b', { mode: 'oauth' });
  assert.equal(toOauth.status, 400, 'switching to oauth needs the L402 fields cleared');
  assert.equal(toOauth.body.field, 'price');
  const cleared = await updateRoute(satgate.url, 'quote-b', { mode: 'oauth', price: null, lifetime: null, scopes: ['balance:read'] });
  assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
  assert.deepEqual([cleared.body.mode, cleared.body.price, cleared.body.scopes], ['oauth', null, ['balance:read']]);
});

const embedded = process.env.TEST_DATABASE_KIND === 'embedded';

test('a change made on one instance applies on another instance sharing the database within one second', {
  skip: embedded ? 'the embedded Postgres serves one instance (no cross-connection NOTIFY); run with DATABASE_URL' : false,
}, async () => {
  const other = await startTestApp();
  try {
    assert.equal((await fetch(`${other.url}/cross`)).status, 404);
    await mustCreateRoute(satgate.url, { name: 'cross', path: '/cross', origin: origin.url, mode: 'none', rewrite: '/echo/cross' });
    const deadline = Date.now() + 1000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await fetch(`${other.url}/cross`)).status;
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(status, 200, 'the other instance serves the new route within a second');
    await updateRoute(satgate.url, 'cross', { enabled: false });
    const until = Date.now() + 1000;
    while (Date.now() < until && status !== 404) {
      status = (await fetch(`${other.url}/cross`)).status;
      if (status !== 404) await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(status, 404, 'and stops serving it within a second of its disabling');
  } finally {
    await other.close();
  }
});
