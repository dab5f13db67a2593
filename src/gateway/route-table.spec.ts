import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReservedPaths } from './reserved-paths';
import { DEMO_ORIGIN, GatewayRouteDef, policyOf, RouteTable, upstreamPath } from './route-table';

function def(overrides: Partial<GatewayRouteDef>): GatewayRouteDef {
  return {
    id: overrides.name ?? 'r', name: 'r', methods: [], path: '/', host: null, origin: 'http://origin:8080', rewrite: null,
    mode: 'none', scopes: [], price: null, lifetime: null, service: null, tier: null, capabilities: [], capability: null,
    timeoutMs: null, enabled: true, position: 0, ...overrides,
  };
}

function matched(table: RouteTable, method: string, path: string, host = 'gw.example:443'): string | undefined {
  const m = table.match(method, host, host.split(':')[0], path);
  return m.kind === 'route' ? m.route.name : m.kind;
}

test('first match by position; ties by name', () => {
  const table = new RouteTable(
    [
      def({ name: 'param', path: '/invoices/:payment_hash', position: 20 }),
      def({ name: 'incoming', path: '/invoices/incoming', position: 10 }),
      def({ name: 'b-all', path: '/*', position: 30 }),
      def({ name: 'a-all', path: '/*', position: 30 }),
    ],
    new ReservedPaths(),
  );
  assert.equal(matched(table, 'GET', '/invoices/incoming'), 'incoming');
  assert.equal(matched(table, 'GET', '/invoices/abc'), 'param');
  assert.equal(matched(table, 'GET', '/other'), 'a-all');
});

test('methods filter, and HEAD goes wherever GET does', () => {
  const table = new RouteTable([def({ name: 'get', path: '/x', methods: ['GET'] }), def({ name: 'post', path: '/x', methods: ['POST'], position: 1 })], new ReservedPaths());
  assert.equal(matched(table, 'GET', '/x'), 'get');
  assert.equal(matched(table, 'HEAD', '/x'), 'get');
  assert.equal(matched(table, 'POST', '/x'), 'post');
  assert.equal(matched(table, 'DELETE', '/x'), 'none');
});

test('a host-bound route only matches its host (port only when the route names one)', () => {
  const table = new RouteTable(
    [def({ name: 'api', path: '/x', host: 'API.example' }), def({ name: 'port', path: '/y', host: 'api.example:8443' })],
    new ReservedPaths(),
  );
  assert.equal(matched(table, 'GET', '/x', 'api.example:443'), 'api');
  assert.equal(matched(table, 'GET', '/x', 'other.example'), 'none');
  assert.equal(matched(table, 'GET', '/y', 'api.example:8443'), 'port');
  assert.equal(matched(table, 'GET', '/y', 'api.example:443'), 'none');
});

test("satgate's own prefixes never reach a route, whatever its pattern", () => {
  const table = new RouteTable([def({ name: 'all', path: '/*' }), def({ name: 'tenant', path: '/:t/token' })], new ReservedPaths(['login']));
  for (const path of ['/oauth/token', '/OAUTH/token', '/admin', '/health', '/.well-known/x', '/docs-json', '/login/x']) {
    assert.equal(matched(table, 'GET', path), 'none', path);
  }
  assert.equal(matched(table, 'GET', '/oauthx'), 'all');
  assert.equal(matched(table, 'GET', '/v1/../x'), 'bad_path');
});

test('paths that could leave a route prefix at a decoding origin are refused with the reason', () => {
  const table = new RouteTable([def({ name: 'v1', path: '/v1/*' })], new ReservedPaths());
  const reason = (path: string) => {
    const m = table.match('GET', 'h', 'h', path);
    return m.kind === 'bad_path' ? m.reason : m.kind;
  };
  for (const path of ['/v1/..%2Fadmin', '/v1/..%2fadmin', '/v1/a%2Fb']) assert.match(reason(path), /encoded slash or backslash \(%2F, %5C\)/, path);
  for (const path of ['/v1/..%5Cadmin', '/v1/..%5cadmin']) assert.match(reason(path), /encoded slash or backslash/, path);
  for (const path of ['/v1/..\\admin', '/v1/a\\b']) assert.equal(reason(path), 'the path must not contain a backslash', path);
  assert.equal(reason('/v1/%2e%2e/admin'), 'the path must not contain "." or ".." segments');
  assert.equal(reason('/v1/a%20b/%41'), 'route', 'other escapes are fine');
});

test('a disabled route still matches (the gateway answers 404 for it) so a later catch-all cannot serve its path', () => {
  const table = new RouteTable([def({ name: 'off', path: '/pay', enabled: false }), def({ name: 'all', path: '/*', position: 1 })], new ReservedPaths());
  const m = table.match('GET', 'h', 'h', '/pay');
  assert.equal(m.kind === 'route' && m.route.name, 'off');
  assert.equal(m.kind === 'route' && m.route.enabled, false);
});

test('upstream path: origin base path + rewrite + query; demo: resolves to the running demo origin', () => {
  const table = new RouteTable(
    [def({ name: 'x', path: '/lndhub/*', rewrite: '/*', origin: 'http://origin:8080/base/' }), def({ name: 'd', path: '/d', origin: DEMO_ORIGIN, position: 1 })],
    new ReservedPaths(),
    'http://127.0.0.1:4567',
  );
  const m = table.match('GET', 'h', 'h', '/lndhub/balance');
  assert.ok(m.kind === 'route');
  assert.equal(m.route.origin, 'http://origin:8080');
  assert.equal(upstreamPath(m.route, m.bindings, '/lndhub/balance', '?a=1'), '/base/balance?a=1');
  const d = table.match('GET', 'h', 'h', '/d');
  assert.ok(d.kind === 'route');
  assert.equal(d.route.origin, 'http://127.0.0.1:4567');
  assert.equal(upstreamPath(d.route, d.bindings, '/d', ''), '/d');
  const none = new RouteTable([def({ name: 'd', path: '/d', origin: DEMO_ORIGIN })], new ReservedPaths());
  const n = none.match('GET', 'h', 'h', '/d');
  assert.equal(n.kind === 'route' && n.route.origin, undefined);
});

test('policyOf builds the evaluator policy from the columns of its mode only', () => {
  assert.deepEqual(policyOf(def({ mode: 'none' })), { mode: 'none' });
  assert.deepEqual(policyOf(def({ mode: 'oauth', scopes: ['balance:read'] })), { mode: 'oauth', scopes: ['balance:read'] });
  assert.deepEqual(policyOf(def({ name: 'quote', mode: 'l402', price: 5 })), { mode: 'l402', l402: { price: 5, service: 'quote' } });
  assert.deepEqual(
    policyOf(def({ name: 'r', mode: 'both', scopes: ['reports:write'], price: 50, lifetime: 60, service: 'svc', tier: 1, capabilities: ['a', 'b'], capability: 'a' })),
    { mode: 'both', scopes: ['reports:write'], l402: { price: 50, service: 'svc', lifetime: 60, tier: 1, capabilities: ['a', 'b'], capability: 'a' } },
  );
});
