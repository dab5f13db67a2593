import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInput } from '../common/validation';
import { demoRoutes } from './demo-routes';
import { ReservedPaths } from './reserved-paths';
import { checkRoute } from './route-rules';
import type { GatewayRouteDef } from './route-table';

const reserved = new ReservedPaths();

function route(overrides: Partial<GatewayRouteDef>): Omit<GatewayRouteDef, 'id'> {
  return {
    name: 'r', methods: ['GET'], path: '/x', host: null, origin: 'http://127.0.0.1:3000', rewrite: null, mode: 'none', scopes: [],
    price: null, lifetime: null, service: null, tier: null, capabilities: [], capability: null, timeoutMs: null, enabled: true,
    position: 0, ...overrides,
  };
}

function fieldOf(overrides: Partial<GatewayRouteDef>): string | undefined {
  try {
    checkRoute(route(overrides), reserved);
    return undefined;
  } catch (err) {
    assert.ok(err instanceof InvalidInput, String(err));
    return err.field;
  }
}

test('valid routes pass, including every demo route', () => {
  assert.equal(fieldOf({}), undefined);
  assert.equal(fieldOf({ path: '/*', mode: 'either', scopes: ['data:read'], price: 2 }), undefined);
  for (const demo of demoRoutes()) checkRoute(demo, reserved);
});

test("a route under satgate's own paths is refused, naming path", () => {
  for (const path of ['/oauth/token', '/oauth', '/OAuth/*', '/admin/routes', '/health', '/metrics', '/demo/x', '/clients', '/.well-known/x', '/docs', '/docs-json']) {
    assert.equal(fieldOf({ path }), 'path', path);
  }
  assert.equal(fieldOf({ path: '/oauthx' }), undefined);
});

test('each broken rule names its field', () => {
  const cases: Array<[Partial<GatewayRouteDef>, string]> = [
    [{ name: 'Has Space' }, 'name'],
    [{ methods: ['FETCH'] }, 'methods'],
    [{ path: 'no-slash' }, 'path'],
    [{ path: '/a/:id', rewrite: '/b/:other' }, 'rewrite'],
    [{ origin: 'ftp://x' }, 'origin'],
    [{ origin: 'not a url' }, 'origin'],
    [{ origin: 'http://u:p@x' }, 'origin'],
    [{ host: 'bad host' }, 'host'],
    [{ mode: 'l402' }, 'price'],
    [{ mode: 'none', scopes: ['a:b'] }, 'scopes'],
    [{ mode: 'oauth', scopes: ['bad"scope'] }, 'scopes'],
    [{ mode: 'oauth', price: 5 }, 'price'],
    [{ mode: 'none', capabilities: ['x'] }, 'capabilities'],
    [{ mode: 'l402', price: 5, service: 'a:b' }, 'service'],
    [{ mode: 'l402', price: 5, capabilities: ['read'], capability: 'write' }, 'capability'],
  ];
  for (const [overrides, field] of cases) assert.equal(fieldOf(overrides), field, JSON.stringify(overrides));
});
