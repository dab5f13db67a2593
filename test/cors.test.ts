import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { resetDatabase } from './support/database';
import { L402Fixture, startL402Fixture } from './l402.fixture';

/**
 * A web page on another origin can run the L402 flow: read the 402 challenge (WWW-Authenticate exposed,
 * Access-Control-Allow-Origin set), and send `Authorization: L402 ...` after a preflight. The cookie-based
 * sign-in pages stay unreadable cross-origin, and requests without an Origin are left alone.
 */
const PAGE = 'https://shop.example.com';
let fixture: L402Fixture;
let satgate: RunningSatgate;

before(async () => {
  await resetDatabase();
  fixture = await startL402Fixture();
  satgate = await fixture.startApp({ DEMO: 'true' });
});
after(() => fixture?.stop());

test('a cross-origin page can read the 402 challenge and pay-then-retry', { timeout: 60_000 }, async () => {
  const challenge = await fetch(`${satgate.url}/demo/paid`, { headers: { origin: PAGE } });
  assert.equal(challenge.status, 402);
  assert.equal(challenge.headers.get('access-control-allow-origin'), '*');
  assert.match(challenge.headers.get('access-control-expose-headers') ?? '', /WWW-Authenticate/);
  const body = (await challenge.json()) as { invoice: string; macaroon: string };

  const preflight = await fetch(`${satgate.url}/demo/paid`, {
    method: 'OPTIONS',
    headers: { origin: PAGE, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
  assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Authorization/);
  assert.equal(preflight.headers.get('access-control-allow-credentials'), null, 'never credentials');

  const preimage = await fixture.pay(body.invoice);
  const paid = await fetch(`${satgate.url}/demo/paid`, { headers: { origin: PAGE, authorization: `L402 ${body.macaroon}:${preimage}` } });
  assert.equal(paid.status, 200);
  assert.equal(paid.headers.get('access-control-allow-origin'), '*');
});

test('gateway routes answer preflights too; without an Origin an OPTIONS request still meets the route policy', async () => {
  const preflight = await fetch(`${satgate.url}/v1/quote`, {
    method: 'OPTIONS',
    headers: { origin: PAGE, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
  });
  assert.equal(preflight.status, 204);
  const plain = await fetch(`${satgate.url}/v1/quote`, { method: 'OPTIONS' });
  assert.notEqual(plain.status, 204);
  assert.equal(plain.headers.get('access-control-allow-origin'), null);
});

test('the sign-in pages are not opened to other origins; the OAuth endpoints keep their own CORS', async () => {
  const login = await fetch(`${satgate.url}/login`, { headers: { origin: PAGE } });
  assert.equal(login.headers.get('access-control-allow-origin'), null);
  const token = await fetch(`${satgate.url}/oauth/token`, {
    method: 'OPTIONS',
    headers: { origin: PAGE, 'access-control-request-method': 'POST' },
  });
  assert.ok(token.status === 200 || token.status === 204, `status ${token.status}`);
  assert.equal(token.headers.get('access-control-allow-origin'), '*');
  assert.match(token.headers.get('access-control-allow-methods') ?? '', /POST/);
});
