/**
 * An L402 carries what it paid for: its service and tier (`services=<name>:<tier>`). A token opens resources
 * of its service at or below its tier, so a 1-sat base-tier token never opens the 50-sat upper tier, and the
 * admin API refuses a route whose tokens would open another route of its service (a gateway route or the
 * built-in /demo/paid) on better terms than that route sells, naming the other route.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { createRoute, mustCreateRoute, startTestOrigin, updateRoute, type TestOrigin } from './gateway.fixtures';
import { l402Header, request, startL402Fixture, type L402Fixture } from './l402.fixture';
import { adminHeaders } from './support/app';
import { resetDatabase } from './support/database';

let fx: L402Fixture;
let app: RunningSatgate;
let origin: TestOrigin;

before(async () => {
  await resetDatabase();
  fx = await startL402Fixture();
  origin = await startTestOrigin();
  app = await fx.startApp();
  await mustCreateRoute(app.url, { name: 'base', path: '/echo/base', origin: origin.url, mode: 'l402', service: 'shop', tier: 0, price: 1 });
  await mustCreateRoute(app.url, { name: 'premium', path: '/echo/premium', origin: origin.url, mode: 'l402', service: 'shop', tier: 1, price: 50 });
});

after(async () => {
  await fx?.stop();
  await origin?.stop();
});

/** Buys a token on `path`: the 402's invoice paid from the payer node. */
async function buy(path: string): Promise<Record<string, string>> {
  const challenge = await request(`${app.url}${path}`);
  assert.equal(challenge.status, 402, JSON.stringify(challenge.body));
  return l402Header(challenge.body.macaroon, await fx.pay(challenge.body.invoice));
}

test('a 1-sat tier-0 token opens its own route but not the 50-sat tier-1 route of the same service', async () => {
  const cheap = await buy('/echo/base');
  assert.equal((await request(`${app.url}/echo/base`, cheap)).status, 200);
  const refused = await request(`${app.url}/echo/premium`, cheap);
  assert.equal(refused.status, 402);
  assert.equal(refused.body.reason, 'wrong_service');
  assert.ok(refused.body.invoice, 'a fresh challenge for the dearer route');
  // The verified-token cache keeps the tier apart: the refusal holds on a second try, too.
  assert.equal((await request(`${app.url}/echo/premium`, cheap)).status, 402);
});

test('the 50-sat tier-1 token opens both routes of its service', async () => {
  const dear = await buy('/echo/premium');
  assert.equal((await request(`${app.url}/echo/premium`, dear)).status, 200);
  assert.equal((await request(`${app.url}/echo/base`, dear)).status, 200);
});

/** A create that must fail with 400 on `field`, its message naming `other`. */
async function assertRefused(body: Record<string, unknown>, field: string, other: string): Promise<void> {
  const res = await createRoute(app.url, { path: `/echo/${String(body.name)}`, origin: origin.url, mode: 'l402', ...body });
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.equal(res.body.error, 'invalid_request');
  assert.equal(res.body.field, field, res.body.error_description);
  assert.ok(res.body.error_description.includes(`route "${other}"`), res.body.error_description);
}

test('the admin API refuses a route whose tokens would open another route of its service more cheaply or for longer', async () => {
  // Same tier as "premium" but cheaper: its tokens would open premium for 10 sats.
  await assertRefused({ name: 'premium-sale', service: 'shop', tier: 1, price: 10 }, 'price', 'premium');
  // A higher tier priced below premium opens premium for less.
  await assertRefused({ name: 'gold', service: 'shop', tier: 2, price: 20 }, 'price', 'premium');
  // Same tier as "base" and price, but dearer: base's 1-sat tokens would open it.
  await assertRefused({ name: 'base-plus', service: 'shop', tier: 0, price: 5 }, 'price', 'base');
  // base's tokens never expire; a base-tier route selling 1-sat tokens for an hour contradicts it.
  await assertRefused({ name: 'base-hourly', service: 'shop', tier: 0, price: 1, lifetime: 3600 }, 'lifetime', 'base');
  // The built-in /demo/paid sells 10 sats for an hour under service "demo".
  await assertRefused({ name: 'cheap-demo', service: 'demo', price: 1 }, 'price', 'GET /demo/paid');
  await assertRefused({ name: 'cheap-demo-gold', service: 'demo', tier: 5, price: 1, lifetime: 60 }, 'price', 'GET /demo/paid');
  await assertRefused({ name: 'forever-demo', service: 'demo', price: 10 }, 'lifetime', 'GET /demo/paid');
  // An update is checked the same way, against every other route: premium moved to tier 0 would be opened by base's 1-sat tokens.
  const res = await updateRoute(app.url, 'premium', { tier: 0 });
  assert.equal(res.status, 400);
  assert.equal(res.body.field, 'price', res.body.error_description);
  assert.ok(res.body.error_description.includes('route "base"'), res.body.error_description);
  const stored = (await (await fetch(`${app.url}/admin/routes/premium`, { headers: adminHeaders })).json()) as { price: number; tier: number };
  assert.deepEqual([stored.price, stored.tier], [50, 1], 'the refused update changed nothing');
});

test('routes whose terms agree are accepted: the same terms, a dearer higher tier, another service or a capability the other route lacks', async () => {
  for (const body of [
    { name: 'demo-twin', service: 'demo', price: 10, lifetime: 3600 },
    { name: 'demo-gold', service: 'demo', tier: 1, price: 50, lifetime: 3600 },
    { name: 'premium-twin', service: 'shop', tier: 1, price: 50 },
    { name: 'other-shop', service: 'other', price: 1 },
  ]) {
    const res = await createRoute(app.url, { path: `/echo/${body.name}`, origin: origin.url, mode: 'l402', ...body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  // A /demo/paid token (tier 0) does not open the tier-1 demo route.
  const demo = await buy('/demo/paid');
  assert.equal((await request(`${app.url}/demo/paid`, demo)).status, 200);
  const refused = await request(`${app.url}/echo/demo-gold`, demo);
  assert.equal(refused.status, 402);
  assert.equal(refused.body.reason, 'wrong_service');
});
