/**
 * End to end through the gateway to the demo origin, one block per policy mode, every row of docs/architecture.md's
 * table with exact statuses and headers. Credentials come from the public APIs: an admin-registered OAuth
 * client and the authorization-code flow with a user JWT; L402s bought by the regtest payer node.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { jwtVerify } from 'jose';
import WebSocket from 'ws';
import { accessToken, buyL402, BoughtL402, rawRequest, RawResponse, registerClient, RegisteredClient, userJwt } from '../bench/flows';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { startRegtestNetwork, type RegtestNetwork } from '../src/regtest/network';
import { lndClient, type LndClient } from '../src/regtest/regtest.clients';
import { addFirstPartyCaveat, encodeMacaroon, macaroonFromBase64 } from '../src/core/l402';
import { mustCreateRoute, updateRoute } from './gateway.fixtures';
import { startTestApp, tempDir, TEST_ADMIN_TOKEN, TEST_JWT_SECRET } from './support/app';
import { query, resetDatabase } from './support/database';

const ORIGIN_SECRET = 'origin-secret-of-the-gateway-tests';
const USER_ID = 214;

let satgate: RunningSatgate;
let net: RegtestNetwork;
let payer: LndClient;
let dataDir: string;
let url: string;
let user: string;
let client: RegisteredClient;
/** Holds every scope the demo routes ask for. */
let full: string;
/** Holds balance:read only. */
let narrow: string;

before(async () => {
  await resetDatabase();
  dataDir = tempDir('satgate-gw-policy-');
  net = await startRegtestNetwork({ dataDir });
  payer = lndClient(net.payer, 'admin');
  satgate = await startTestApp({
    DEMO: 'true',
    ORIGIN_JWT_SECRET: ORIGIN_SECRET,
    LND_SOCKET: net.merchant.socket,
    LND_CERT: net.merchant.certPath,
    LND_MACAROON: net.merchant.adminMacaroonPath,
  });
  url = satgate.url;
  user = await userJwt(TEST_JWT_SECRET, USER_ID, 'B07KQWNvGAiq2kGWU3kz');
  const scopes = ['balance:read', 'invoices:read', 'reports:write', 'data:read'];
  client = await registerClient(url, TEST_ADMIN_TOKEN, 'gateway-e2e', scopes);
  full = (await accessToken(url, client, user, scopes)).access_token;
  narrow = (await accessToken(url, client, user, ['balance:read'])).access_token;
});

after(async () => {
  await satgate?.close();
  payer?.close();
  await net?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const BEARER = 'Bearer realm="satgate"';
const INVALID = 'Bearer realm="satgate", error="invalid_token"';
const insufficient = (scope: string): string => `Bearer realm="satgate", error="insufficient_scope", scope="${scope}"`;

async function invoiceCount(): Promise<number> {
  return Number((await query<{ n: string }>('SELECT count(*) AS n FROM l402_invoices'))[0].n);
}

/** What the demo origin echoed under `received`. */
function received(res: RawResponse): Record<string, string> {
  return (JSON.parse(res.body) as { received: Record<string, string> }).received;
}

/** Verifies the identity JWT the origin got with the origin secret; returns its claims. */
async function identityOf(receivedHeaders: Record<string, string>): Promise<Record<string, unknown>> {
  const auth = receivedHeaders.authorization;
  assert.match(auth ?? '', /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/, 'the origin receives a bearer JWT');
  const { payload, protectedHeader } = await jwtVerify(auth.slice(7), new TextEncoder().encode(ORIGIN_SECRET), { algorithms: ['HS256'] });
  assert.equal(protectedHeader.alg, 'HS256');
  const now = Math.floor(Date.now() / 1000);
  assert.ok(Math.abs(Number(payload.exp) - (now + 60)) <= 2, `exp ${payload.exp} is now+60s`);
  return { id: payload.id, clientId: payload.clientId };
}

/** Asserts a 402 challenge: LSAT then L402 `macaroon="...", invoice="..."`, then any further values. */
function assertChallenge(res: RawResponse, reason: string, amount: number, service: string, extra: string[] = []): { macaroon: string; invoice: string } {
  assert.equal(res.status, 402, res.body);
  const values = res.headers['www-authenticate'] ?? [];
  assert.equal(values.length, 2 + extra.length, JSON.stringify(values));
  const lsat = /^LSAT macaroon="([^"]+)", invoice="([^"]+)"$/.exec(values[0]);
  const l402 = /^L402 macaroon="([^"]+)", invoice="([^"]+)"$/.exec(values[1]);
  assert.ok(lsat && l402, JSON.stringify(values));
  assert.equal(lsat[1], l402[1]);
  assert.deepEqual(values.slice(2), extra);
  assert.deepEqual(res.headers['cache-control'], ['no-store']);
  const body = JSON.parse(res.body);
  assert.equal(body.error, 'payment_required');
  assert.equal(body.reason, reason);
  assert.equal(body.amount_sats, amount);
  assert.equal(body.service, service);
  assert.equal(body.macaroon, lsat[1]);
  assert.equal(body.invoice, lsat[2]);
  return { macaroon: body.macaroon, invoice: body.invoice };
}

function assertBearerRefusal(res: RawResponse, status: 401 | 403, challenge: string): void {
  assert.equal(res.status, status, res.body);
  assert.deepEqual(res.headers['www-authenticate'], [challenge]);
  assert.deepEqual(res.headers['cache-control'], ['no-store']);
}

describe('mode oauth (GET /balance, balance:read)', () => {
  test('nothing -> 401 Bearer challenge without error', async () => {
    assertBearerRefusal(await rawRequest(`${url}/balance`), 401, BEARER);
  });

  test('an invalid bearer -> 401 invalid_token', async () => {
    assertBearerRefusal(await rawRequest(`${url}/balance`, { headers: bearer('not-a-token') }), 401, INVALID);
  });

  test('a valid bearer without the scope -> 403 insufficient_scope', async () => {
    assertBearerRefusal(await rawRequest(`${url}/invoices/incoming`, { headers: bearer(narrow) }), 403, insufficient('invoices:read'));
  });

  test('a valid bearer with the scope -> 200; the origin gets the identity JWT, never the caller\'s token', async () => {
    const res = await rawRequest(`${url}/balance`, { headers: bearer(narrow) });
    assert.equal(res.status, 200, res.body);
    const got = received(res);
    assert.deepEqual(await identityOf(got), { id: USER_ID, clientId: client.clientId });
    assert.ok(!res.body.includes(narrow), 'the caller\'s access token never reaches the origin');
    assert.equal(got['x-satgate-l402-token-id'], undefined);
  });

  test('a revoked token -> 401 invalid_token', async () => {
    const token = (await accessToken(url, client, user, ['balance:read'])).access_token;
    assert.equal((await rawRequest(`${url}/balance`, { headers: bearer(token) })).status, 200);
    const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64');
    const revoke = await fetch(`${url}/oauth/revoke`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
    });
    assert.equal(revoke.status, 200);
    assertBearerRefusal(await rawRequest(`${url}/balance`, { headers: bearer(token) }), 401, INVALID);
  });

  test('server-sent events and a WebSocket echo through oauth routes', async () => {
    const sse = await fetch(`${url}/v1/stream`, { headers: bearer(full) });
    assert.equal(sse.status, 200);
    const reader = sse.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    assert.match(first, /^event: tick\ndata: \{"n":1,/);
    await reader.cancel();

    const ws = new WebSocket(`${url.replace('http', 'ws')}/v1/ws`, { headers: bearer(full) });
    const messages: string[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (d) => {
        messages.push(d.toString());
        if (messages.length === 1) ws.send('echo me');
        else ws.close();
      });
      ws.on('close', () => resolve());
      ws.on('error', reject);
    });
    assert.deepEqual(await identityOf(JSON.parse(messages[0]).received), { id: USER_ID, clientId: client.clientId });
    assert.equal(messages[1], 'echo me');

    const refused = await new Promise<number>((resolve) => {
      const bad = new WebSocket(`${url.replace('http', 'ws')}/v1/ws`, { headers: bearer(narrow) });
      bad.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      bad.on('error', () => undefined);
    });
    assert.equal(refused, 403);
  });
});

describe('mode l402 (GET /v1/quote, 5 sats)', () => {
  let bought: BoughtL402;

  test('nothing -> 402 with the LSAT and L402 challenges and reason missing', async () => {
    assertChallenge(await rawRequest(`${url}/v1/quote`), 'missing', 5, 'v1-quote');
  });

  test('an L402 that fails verification -> 402 with the reason', async () => {
    assertChallenge(await rawRequest(`${url}/v1/quote`, { headers: { authorization: 'L402 bm90LWEtbWFjYXJvb24=:00' } }), 'malformed', 5, 'v1-quote');
  });

  test('a paid L402 -> 200 (L402 and LSAT schemes); the origin gets the L402 headers and no Authorization', async () => {
    bought = await buyL402(`${url}/v1/quote`, {}, payer.lnd);
    const res = await rawRequest(`${url}/v1/quote`, { headers: { authorization: bought.authorization } });
    assert.equal(res.status, 200, res.body);
    const got = received(res);
    assert.match(got['x-satgate-l402-token-id'], /^[0-9a-f]{64}$/);
    assert.equal(got['x-satgate-l402-service'], 'v1-quote');
    assert.equal(got['x-satgate-l402-tier'], '0');
    assert.equal(got['x-satgate-l402-capabilities'], '');
    assert.equal(got.authorization, undefined);
    assert.ok(!res.body.includes(bought.preimage), 'the preimage never reaches the origin');
    const lsat = await rawRequest(`${url}/v1/quote`, { headers: { authorization: bought.authorization.replace(/^L402/, 'LSAT') } });
    assert.equal(lsat.status, 200);
  });

  test('a token bought for one route is refused by another route (its own service)', async () => {
    const other = await rawRequest(`${url}/v1/data`, { headers: { authorization: bought.authorization } });
    assertChallenge(other, 'wrong_service', 2, 'v1-data', [BEARER]);
  });
});

describe('mode both (POST /v1/reports, reports:write + 50 sats)', () => {
  let reportsClient: RegisteredClient;
  let reportsToken: string;
  let bought: BoughtL402;
  const post = (headers: Record<string, string>): Promise<RawResponse> =>
    rawRequest(`${url}/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"title":"q3"}' });

  before(async () => {
    reportsClient = await registerClient(url, TEST_ADMIN_TOKEN, 'gateway-reports', ['reports:write', 'balance:read']);
    reportsToken = (await accessToken(url, reportsClient, user, ['reports:write'])).access_token;
  });

  test('nothing or an invalid bearer -> 401, and no invoice is created for an anonymous caller', async () => {
    const before = await invoiceCount();
    assertBearerRefusal(await post({}), 401, BEARER);
    assertBearerRefusal(await post(bearer('not-a-token')), 401, INVALID);
    assert.equal(await invoiceCount(), before);
  });

  test('a valid bearer without the scope -> 403 insufficient_scope', async () => {
    assertBearerRefusal(await post(bearer(narrow)), 403, insufficient('reports:write'));
  });

  test('a valid bearer with the scope, not paid -> 402 whose macaroon is bound to the caller\'s grant', async () => {
    const { macaroon } = assertChallenge(await post(bearer(reportsToken)), 'missing', 50, 'v1-reports');
    assert.ok(Buffer.from(macaroon, 'base64').includes('oauth_grant='), 'the macaroon carries an oauth_grant caveat');
  });

  test('the bound L402 alone then passes: the origin learns the user and the payment', async () => {
    bought = await buyL402(`${url}/v1/reports`, { method: 'POST', headers: bearer(reportsToken), body: '{}' }, payer.lnd);
    const res = await post({ authorization: bought.authorization });
    assert.equal(res.status, 201, res.body);
    const got = received(res);
    assert.deepEqual(await identityOf(got), { id: USER_ID, clientId: reportsClient.clientId });
    assert.equal(got['x-satgate-l402-service'], 'v1-reports');
    assert.deepEqual(JSON.parse(res.body).report, { title: 'q3' });
  });

  test('a bound L402 whose grant no longer holds the route\'s scopes -> 403 insufficient_scope', async () => {
    assert.equal((await updateRoute(url, 'v1-reports', { scopes: ['reports:write', 'balance:read'] })).status, 200);
    try {
      assertBearerRefusal(await post({ authorization: bought.authorization }), 403, insufficient('reports:write balance:read'));
    } finally {
      assert.equal((await updateRoute(url, 'v1-reports', { scopes: ['reports:write'] })).status, 200);
    }
    assert.equal((await post({ authorization: bought.authorization })).status, 201);
  });

  test('forged binding: an unbound paid L402 extended with the victim\'s oauth_grant neither passes nor gets a challenge for that grant', async () => {
    // The victim's grant id is visible to anyone who sees one of the victim's challenges (it is a caveat).
    const victimChallenge = JSON.parse((await post(bearer(reportsToken))).body) as { macaroon: string };
    const victimGrant = macaroonFromBase64(victimChallenge.macaroon)
      .caveats.map((c) => c.id.toString('utf8'))
      .find((c) => c.startsWith('oauth_grant='));
    assert.ok(victimGrant, 'the victim\'s challenge names the grant');
    const forge = (token: BoughtL402): Record<string, string> => {
      const extended = encodeMacaroon(addFirstPartyCaveat(macaroonFromBase64(token.macaroon), victimGrant)).toString('base64');
      return { authorization: `L402 ${extended}:${token.preimage}` };
    };

    // An L402 for the same service, bought anonymously where the operator sells one without OAuth.
    await mustCreateRoute(url, { name: 'reports-pay', methods: ['GET'], path: '/v1/reports-pay', origin: 'demo:', mode: 'l402', price: 3, service: 'v1-reports' });
    const sameService = await buyL402(`${url}/v1/reports-pay`, {}, payer.lnd);
    // And one for another service: authentic but refused, so the evaluator would re-challenge for its grant.
    const otherService = await buyL402(`${url}/v1/quote`, {}, payer.lnd);
    const invoicesBefore = await invoiceCount();

    const refused = await post(forge(sameService));
    assertBearerRefusal(refused, 401, INVALID);
    assert.equal(JSON.parse(refused.body).l402_reason, 'caveat_failed');
    const wrong = await post(forge(otherService));
    assertBearerRefusal(wrong, 401, INVALID);
    assert.equal(JSON.parse(wrong.body).l402_reason, 'wrong_service');
    assert.equal(await invoiceCount(), invoicesBefore, 'no challenge was issued for the victim\'s grant');

    assert.equal((await post({ authorization: bought.authorization })).status, 201, 'the victim\'s own bound token still works');
  });

  test('a bound L402 whose grant was revoked -> 401 invalid_token', async () => {
    const revoke = await fetch(`${url}/clients/${encodeURIComponent(reportsClient.clientId)}`, { method: 'DELETE', headers: bearer(user) });
    assert.ok(revoke.status === 200 || revoke.status === 204, `DELETE /clients/:id -> ${revoke.status}`);
    assertBearerRefusal(await post({ authorization: bought.authorization }), 401, INVALID);
  });
});

describe('mode either (GET /v1/data, data:read or 2 sats)', () => {
  test('nothing -> 402 offering LSAT, L402 and Bearer', async () => {
    assertChallenge(await rawRequest(`${url}/v1/data`), 'missing', 2, 'v1-data', [BEARER]);
  });

  test('an invalid L402 -> 402 with the reason, still offering Bearer', async () => {
    assertChallenge(await rawRequest(`${url}/v1/data`, { headers: { authorization: 'L402 bm90LWEtbWFjYXJvb24=:00' } }), 'malformed', 2, 'v1-data', [BEARER]);
  });

  test('an invalid bearer -> 402 whose Bearer value says invalid_token', async () => {
    assertChallenge(await rawRequest(`${url}/v1/data`, { headers: bearer('not-a-token') }), 'missing', 2, 'v1-data', [INVALID]);
  });

  test('a valid bearer without the scope -> 402 whose Bearer value carries insufficient_scope', async () => {
    assertChallenge(await rawRequest(`${url}/v1/data`, { headers: bearer(narrow) }), 'missing', 2, 'v1-data', [insufficient('data:read')]);
  });

  test('a valid bearer with the scope -> through, as the user', async () => {
    const res = await rawRequest(`${url}/v1/data`, { headers: bearer(full) });
    assert.equal(res.status, 200, res.body);
    const got = received(res);
    assert.deepEqual(await identityOf(got), { id: USER_ID, clientId: client.clientId });
    assert.equal(got['x-satgate-l402-token-id'], undefined);
  });

  test('a valid L402 -> through, as the payer', async () => {
    const bought = await buyL402(`${url}/v1/data`, {}, payer.lnd);
    assert.equal(bought.challenge.amount_sats, 2);
    const res = await rawRequest(`${url}/v1/data`, { headers: { authorization: bought.authorization } });
    assert.equal(res.status, 200, res.body);
    const got = received(res);
    assert.equal(got['x-satgate-l402-service'], 'v1-data');
    assert.equal(got.authorization, undefined);
  });
});
