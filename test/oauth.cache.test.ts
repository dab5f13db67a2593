/**
 * The hot path: a token already seen validates without a database query, and a revocation reaches the cache
 * of every instance sharing the database (LISTEN/NOTIFY through the InvalidationBus).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { databaseQueryCount } from '../src/database/query-counter';
import { OAuthBearerAuthenticator } from '../src/oauth/bearer.authenticator';
import { adminHeaders, startTestApp } from './support/app';
import { resetDatabase } from './support/database';
import {
  advanceClock,
  basic,
  exchangeCode,
  getWithBearer,
  obtainCode,
  postForm,
  registerClient,
  type RegisteredClient,
  type Tokens,
  userJwt,
} from './oauth.helpers';

let satgate: RunningSatgate;
let url: string;
let app: RegisteredClient;

before(async () => {
  await resetDatabase();
  satgate = await startTestApp();
  url = satgate.url;
  app = await registerClient(url, { domain: 'https://app.example.com/callback' });
});
after(() => satgate?.close());

async function freshTokens(scope = 'account:read balance:read', jwt?: string): Promise<Tokens> {
  return exchangeCode(url, app, await obtainCode(url, app, { scope }, jwt));
}

function grantIdOf(token: string): Promise<string> {
  return getWithBearer(url, '/demo/me', token)
    .then((r) => r.json())
    .then((b) => (b as { oauth: { grantId: string } }).oauth.grantId);
}

test('a token already seen validates without a database query', async () => {
  const tokens = await freshTokens();
  assert.equal((await getWithBearer(url, '/demo/me', tokens.access_token)).status, 200);
  const before = databaseQueryCount();
  for (let i = 0; i < 5; i++) assert.equal((await getWithBearer(url, '/demo/me', tokens.access_token)).status, 200);
  assert.equal(databaseQueryCount() - before, 0, 'no query for a cached token');

  // An unknown token is remembered as invalid too: a flood of garbage does not reach the database.
  assert.equal((await getWithBearer(url, '/demo/me', 'garbage-token')).status, 401);
  const afterFirst = databaseQueryCount();
  assert.equal((await getWithBearer(url, '/demo/me', 'garbage-token')).status, 401);
  assert.equal(databaseQueryCount() - afterFirst, 0);
});

test('grantStatus (for L402s bound to a grant): live with current scopes, cached, and dead once revoked', async () => {
  const authenticator = satgate.app.get(OAuthBearerAuthenticator);
  const tokens = await freshTokens('account:read balance:read', await userJwt(77, 'carol'));
  const grantId = await grantIdOf(tokens.access_token);

  const live = await authenticator.grantStatus(grantId);
  assert.ok(live.live);
  assert.equal(live.principal.grantId, grantId);
  assert.equal(live.principal.clientId, app.clientId);
  assert.equal(live.principal.userId, '77');
  assert.deepEqual(live.principal.scopes, ['account:read', 'balance:read']);
  const before = databaseQueryCount();
  assert.ok((await authenticator.grantStatus(grantId)).live);
  assert.equal(databaseQueryCount() - before, 0, 'a known grant is answered from memory');

  assert.deepEqual(await authenticator.grantStatus('not-a-uuid'), { live: false });
  assert.deepEqual(await authenticator.grantStatus('00000000-0000-4000-8000-000000000000'), { live: false });

  const restore = advanceClock(satgate, 31 * 24 * 3600);
  try {
    assert.deepEqual(await authenticator.grantStatus(grantId), { live: false }, 'past the family expiry');
  } finally {
    restore();
  }

  const del = await fetch(`${url}/clients/${app.clientId}`, { method: 'DELETE', headers: { authorization: `Bearer ${await userJwt(77, 'carol')}` } });
  assert.equal(del.status, 200);
  assert.deepEqual(await authenticator.grantStatus(grantId), { live: false }, 'the user disconnected the app');
});

test('grantStatus reflects a client losing a scope at once', async () => {
  const authenticator = satgate.app.get(OAuthBearerAuthenticator);
  const client = await registerClient(url, { domain: 'https://scopes.example.com/cb' });
  const tokens = await exchangeCode(url, client, await obtainCode(url, client, { scope: 'account:read balance:read' }));
  const grantId = await grantIdOf(tokens.access_token);
  const before = await authenticator.grantStatus(grantId);
  assert.ok(before.live);
  assert.deepEqual(before.principal.scopes, ['account:read', 'balance:read']);
  const put = await fetch(`${url}/admin/clients/${client.clientId}`, {
    method: 'PUT',
    headers: { ...adminHeaders, 'content-type': 'application/json' },
    body: JSON.stringify({ scopes: ['balance:read'] }),
  });
  assert.equal(put.status, 200);
  const status = await authenticator.grantStatus(grantId);
  assert.ok(status.live);
  assert.deepEqual(status.principal.scopes, ['balance:read']);
});

test('a revocation on one instance holds on another instance sharing the database', async (t) => {
  if (process.env.TEST_DATABASE_KIND === 'embedded') {
    t.skip('the embedded Postgres serves a single instance; run with DATABASE_URL for the multi-instance case');
    return;
  }
  const second = await startTestApp();
  try {
    const tokens = await freshTokens();
    const family = await freshTokens();
    for (const token of [tokens.access_token, family.access_token]) {
      assert.equal((await getWithBearer(second.url, '/demo/me', token)).status, 200, 'instance B knows (and caches) the token');
    }
    const before = databaseQueryCount();
    assert.equal((await getWithBearer(second.url, '/demo/me', tokens.access_token)).status, 200);
    assert.equal(databaseQueryCount() - before, 0, 'B answers from its cache');

    // RFC 7009 revocation of one access token on A.
    const revoke = await postForm(url, '/oauth/revoke', { token: tokens.access_token }, { authorization: basic(app.clientId, app.clientSecret) });
    assert.equal(revoke.status, 200);
    assert.equal(await statusOnceSettled(second.url, tokens.access_token, 401), 401);

    // Revoking a whole family on A (refresh token reuse) kills B's cached access token of that family.
    const rotated = await postForm(url, '/oauth/token', { grant_type: 'refresh_token', refresh_token: family.refresh_token! }, { authorization: basic(app.clientId, app.clientSecret) });
    const next = (await rotated.json()) as Tokens;
    assert.equal((await getWithBearer(second.url, '/demo/me', next.access_token)).status, 200);
    const reuse = await postForm(url, '/oauth/token', { grant_type: 'refresh_token', refresh_token: family.refresh_token! }, { authorization: basic(app.clientId, app.clientSecret) });
    assert.equal(reuse.status, 400);
    assert.equal(await statusOnceSettled(second.url, next.access_token, 401), 401);
  } finally {
    await second.close();
  }
});

/**
 * Polls until `expected` (the NOTIFY travels asynchronously to the other instance), giving up after a
 * generous bound; returns the last status seen, so a revocation that never arrives fails the test.
 */
async function statusOnceSettled(base: string, token: string, expected: number): Promise<number> {
  let status = 0;
  for (let i = 0; i < 100; i++) {
    status = (await getWithBearer(base, '/demo/me', token)).status;
    if (status === expected) return status;
    await new Promise((r) => setTimeout(r, 50));
  }
  return status;
}
