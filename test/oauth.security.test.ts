/**
 * One test per security rule of docs/protocol.md's OAuth section ("Security rules (RFC 9700)"); each fails
 * when its rule is broken.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { startTestApp } from './support/app';
import { query, resetDatabase } from './support/database';
import {
  advanceClock,
  authorize,
  basic,
  exchangeCode,
  getWithBearer,
  obtainCode,
  postForm,
  redirectParams,
  registerClient,
  RFC7636_CHALLENGE,
  RFC7636_VERIFIER,
  type RegisteredClient,
  type Tokens,
  userJwt,
} from './oauth.helpers';

let satgate: RunningSatgate;
let url: string;
let app: RegisteredClient;
let other: RegisteredClient;
let spa: RegisteredClient;

before(async () => {
  await resetDatabase();
  satgate = await startTestApp({ MAX_AUTHORIZE_EXPIRY_SECONDS: '3600' });
  url = satgate.url;
  app = await registerClient(url, { domain: 'https://app.example.com/callback' });
  other = await registerClient(url, { domain: 'https://other.example.com/callback' });
  spa = await registerClient(url, { domain: 'http://127.0.0.1:7777/cb', public: true });
});
after(() => satgate?.close());

const SCOPES = 'account:read balance:read';

function refresh(client: RegisteredClient, refreshToken: string, extra: Record<string, string> = {}): Promise<Response> {
  return postForm(
    url,
    '/oauth/token',
    { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra },
    client.clientSecret ? { authorization: basic(client.clientId, client.clientSecret) } : {},
  );
}

async function errorOf(res: Response): Promise<string> {
  return ((await res.json()) as { error: string }).error;
}

async function meStatus(token: string): Promise<number> {
  return (await getWithBearer(url, '/demo/me', token)).status;
}

test('redirect_uri: exact string match only — every near miss is shown as an error, never redirected to', async () => {
  const variants = [
    'https://app.example.com/callback/',
    'https://app.example.com/callback/extra',
    'https://app.example.com/callbac',
    'https://app.example.com/callback?next=https://evil.example',
    'https://app.example.com/Callback',
    'https://APP.example.com/callback',
    'https://app.example.com:443/callback',
    'http://app.example.com/callback',
    'https://app.example.com.evil.com/callback',
    'https://app.example.com@evil.com/callback',
    'https://evil.com/https://app.example.com/callback',
    'https://app.example.com/cb/../callback',
    'https://app.example.com/callback#frag',
  ];
  const jwt = await userJwt();
  for (const redirect_uri of variants) {
    const res = await authorize(url, { client_id: app.clientId, response_type: 'code', redirect_uri, scope: 'balance:read', state: 's' }, { jwt });
    assert.equal(res.status, 400, redirect_uri);
    assert.equal(res.headers.get('location'), null, `${redirect_uri} must not be redirected to`);
    assert.equal(await errorOf(res), 'invalid_request');
  }
  const exact = await authorize(url, { client_id: app.clientId, response_type: 'code', redirect_uri: 'https://app.example.com/callback', scope: 'balance:read' }, { jwt });
  assert.equal(exact.status, 302);
});

test('redirect_uri: a native app on loopback may change the port (RFC 8252 §7.3), nothing else', async () => {
  const jwt = await userJwt();
  const base = { client_id: spa.clientId, response_type: 'code', scope: 'balance:read', code_challenge: RFC7636_CHALLENGE, code_challenge_method: 'S256' };
  const otherPort = await authorize(url, { ...base, redirect_uri: 'http://127.0.0.1:51234/cb' }, { jwt });
  assert.ok(otherPort.headers.get('location')?.startsWith('http://127.0.0.1:51234/cb?code='));
  for (const redirect_uri of ['http://127.0.0.1:7777/cb2', 'http://localhost:7777/cb', 'https://127.0.0.1:7777/cb']) {
    const res = await authorize(url, { ...base, redirect_uri }, { jwt });
    assert.equal(res.status, 400, redirect_uri);
    assert.equal(res.headers.get('location'), null);
  }
});

test('redirect_uri: a confidential client on loopback gets no port exception (RFC 8252 §7.3 is for native apps)', async () => {
  const server = await registerClient(url, { domain: 'http://127.0.0.1:7777/cb' });
  const jwt = await userJwt();
  const base = { client_id: server.clientId, response_type: 'code', scope: 'balance:read', state: 's' };
  for (const redirect_uri of ['http://127.0.0.1:51234/cb', 'http://127.0.0.1/cb', 'http://127.0.0.1:7778/cb']) {
    const res = await authorize(url, { ...base, redirect_uri }, { jwt });
    assert.equal(res.status, 400, redirect_uri);
    assert.equal(res.headers.get('location'), null, `${redirect_uri} must not be redirected to`);
    assert.deepEqual(await res.json(), { error: 'invalid_request', error_description: 'redirect_uri does not match any URI registered for this client' });
  }
  const exact = await authorize(url, { ...base, redirect_uri: 'http://127.0.0.1:7777/cb' }, { jwt });
  assert.equal(exact.status, 302);
  assert.ok(exact.headers.get('location')?.startsWith('http://127.0.0.1:7777/cb?code='));
});

test('redirect_uri at the token endpoint must repeat the authorization request exactly', async () => {
  const code = await obtainCode(url, app);
  const wrong = await postForm(url, '/oauth/token', { grant_type: 'authorization_code', code, redirect_uri: 'https://app.example.com/callback/' }, { authorization: basic(app.clientId, app.clientSecret) });
  assert.equal(wrong.status, 400);
  assert.equal(await errorOf(wrong), 'invalid_grant');
  const missing = await postForm(url, '/oauth/token', { grant_type: 'authorization_code', code }, { authorization: basic(app.clientId, app.clientSecret) });
  assert.equal(await errorOf(missing), 'invalid_grant');
});

test('codes are single use: a second use fails and revokes every token issued from the code, rotations included', async () => {
  const code = await obtainCode(url, app, { scope: SCOPES });
  const first = await exchangeCode(url, app, code);
  assert.equal(await meStatus(first.access_token), 200);
  const rotatedRes = await refresh(app, first.refresh_token!);
  assert.equal(rotatedRes.status, 200);
  const rotated = (await rotatedRes.json()) as Tokens;
  assert.equal(await meStatus(rotated.access_token), 200, 'the descendant access token works (and is now cached)');

  const again = await postForm(url, '/oauth/token', { grant_type: 'authorization_code', code, redirect_uri: app.redirectUris[0] }, { authorization: basic(app.clientId, app.clientSecret) });
  assert.equal(again.status, 400);
  assert.deepEqual(await again.json(), { error: 'invalid_grant', error_description: 'authorization code was already used' });

  assert.equal(await meStatus(rotated.access_token), 401, 'the descendant access token is revoked');
  const refreshAfter = await refresh(app, rotated.refresh_token!);
  assert.equal(await errorOf(refreshAfter), 'invalid_grant', 'the descendant refresh token is revoked');
  const [grant] = await query<{ revoked_reason: string }>(
    `SELECT g.revoked_reason FROM oauth_grants g JOIN oauth_authorization_codes c ON c.grant_id = g.id WHERE c.code_hash = $1`,
    [sha256(code)],
  );
  assert.equal(grant.revoked_reason, 'code_reuse');
});

test('codes are short lived (at most 10 minutes) and bound to the client they were issued to', async () => {
  const code = await obtainCode(url, app);
  const [row] = await query<{ ttl: number }>(
    'SELECT EXTRACT(EPOCH FROM expires_at - created_at)::int AS ttl FROM oauth_authorization_codes WHERE code_hash = $1',
    [sha256(code)],
  );
  assert.ok(row.ttl > 0 && row.ttl <= 600, `code lifetime ${row.ttl} s`);

  const stolen = await postForm(url, '/oauth/token', { grant_type: 'authorization_code', code, redirect_uri: app.redirectUris[0] }, { authorization: basic(other.clientId, other.clientSecret) });
  assert.equal(await errorOf(stolen), 'invalid_grant', "another client cannot redeem this client's code");

  const restore = advanceClock(satgate, 601);
  try {
    const late = await postForm(url, '/oauth/token', { grant_type: 'authorization_code', code, redirect_uri: app.redirectUris[0] }, { authorization: basic(app.clientId, app.clientSecret) });
    assert.equal(late.status, 400);
    assert.deepEqual(await late.json(), { error: 'invalid_grant', error_description: 'authorization code has expired' });
  } finally {
    restore();
  }
});

test('PKCE: required for public clients, S256 only', async () => {
  const jwt = await userJwt();
  const base = { client_id: spa.clientId, response_type: 'code', redirect_uri: 'http://127.0.0.1:7777/cb', scope: 'balance:read', state: 'p' };
  const without = redirectParams(await authorize(url, base, { jwt }));
  assert.equal(without.get('error'), 'invalid_request');
  assert.equal(without.get('code'), null);
  const plain = redirectParams(await authorize(url, { ...base, code_challenge: RFC7636_VERIFIER, code_challenge_method: 'plain' }, { jwt }));
  assert.equal(plain.get('error'), 'invalid_request');
  assert.equal(plain.get('code'), null);
  const implicitPlain = redirectParams(await authorize(url, { ...base, code_challenge: RFC7636_VERIFIER }, { jwt }));
  assert.equal(implicitPlain.get('error'), 'invalid_request', 'no method means plain (RFC 7636 §4.3), also refused');
});

test('PKCE: no downgrade — a verifier without a stored challenge, or a challenge without a verifier, fails', async () => {
  const noChallenge = await obtainCode(url, app);
  const downgrade = await exchangeCodeRaw(app, noChallenge, { code_verifier: RFC7636_VERIFIER });
  assert.equal(downgrade.status, 400);
  assert.equal(await errorOf(downgrade), 'invalid_grant');

  const withChallenge = await obtainCode(url, app, { code_challenge: RFC7636_CHALLENGE, code_challenge_method: 'S256' });
  assert.equal(await errorOf(await exchangeCodeRaw(app, withChallenge, {})), 'invalid_grant', 'verifier required');
  const wrong = await exchangeCodeRaw(app, withChallenge, { code_verifier: 'A'.repeat(43) });
  assert.equal(await errorOf(wrong), 'invalid_grant', 'wrong verifier');
  const short = await exchangeCodeRaw(app, withChallenge, { code_verifier: RFC7636_VERIFIER.slice(0, 42) });
  assert.equal(await errorOf(short), 'invalid_request', 'verifier under 43 chars');
  const long = await exchangeCodeRaw(app, withChallenge, { code_verifier: 'a'.repeat(129) });
  assert.equal(await errorOf(long), 'invalid_request', 'verifier over 128 chars');
  const right = await exchangeCodeRaw(app, withChallenge, { code_verifier: RFC7636_VERIFIER });
  assert.equal(right.status, 200, 'the failed attempts did not burn the code');
});

test('refresh tokens are bound to their client', async () => {
  const tokens = await exchangeCode(url, app, await obtainCode(url, app, { scope: SCOPES }));
  const byOther = await refresh(other, tokens.refresh_token!);
  assert.equal(byOther.status, 400);
  assert.deepEqual(await byOther.json(), { error: 'invalid_grant', error_description: 'refresh token was issued to another client' });
  const bySpa = await refresh(spa, tokens.refresh_token!, { client_id: spa.clientId });
  assert.equal(await errorOf(bySpa), 'invalid_grant');
  assert.equal((await refresh(app, tokens.refresh_token!)).status, 200, 'the owner can still use it');
});

test('refresh rotates: new tokens each time, the old access token stops, a reused refresh token revokes the family', async () => {
  const first = await exchangeCode(url, app, await obtainCode(url, app, { scope: SCOPES }));
  assert.equal(await meStatus(first.access_token), 200);
  const second = (await (await refresh(app, first.refresh_token!)).json()) as Tokens;
  assert.notEqual(second.refresh_token, first.refresh_token);
  assert.notEqual(second.access_token, first.access_token);
  assert.equal(await meStatus(first.access_token), 401, 'the superseded access token is dead (even though it was cached)');
  assert.equal(await meStatus(second.access_token), 200);

  const reuse = await refresh(app, first.refresh_token!);
  assert.equal(reuse.status, 400);
  assert.deepEqual(await reuse.json(), { error: 'invalid_grant', error_description: 'refresh token was already used' });
  assert.equal(await meStatus(second.access_token), 401, 'reuse revoked the newest access token');
  assert.equal(await errorOf(await refresh(app, second.refresh_token!)), 'invalid_grant', 'and the newest refresh token');
});

test('refresh may narrow scopes, never widen them; the refresh token keeps the original grant', async () => {
  const tokens = await exchangeCode(url, app, await obtainCode(url, app, { scope: SCOPES }));
  const widen = await refresh(app, tokens.refresh_token!, { scope: 'account:read balance:read payments:send' });
  assert.equal(widen.status, 400);
  assert.equal(await errorOf(widen), 'invalid_scope');

  const narrowed = (await (await refresh(app, tokens.refresh_token!, { scope: 'balance:read' })).json()) as Tokens;
  assert.equal(narrowed.scope, 'balance:read');
  assert.equal(await meStatus(narrowed.access_token), 403, 'the narrowed token lacks account:read');
  const back = (await (await refresh(app, narrowed.refresh_token!)).json()) as Tokens;
  assert.equal(back.scope, SCOPES, 'omitting scope gives the original grant again (RFC 6749 §6)');
  assert.equal(await errorOf(await refresh(app, back.refresh_token!, { scope: 'payments:send' })), 'invalid_scope');
});

test('expires_in asked at /authorize is capped by MAX_AUTHORIZE_EXPIRY_SECONDS, and kept across refreshes', async () => {
  const capped = await exchangeCode(url, app, await obtainCode(url, app, { expires_in: '100000' }));
  assert.equal(capped.expires_in, 3600);
  const short = await exchangeCode(url, app, await obtainCode(url, app, { expires_in: '120' }));
  assert.equal(short.expires_in, 120);
  const refreshed = (await (await refresh(app, short.refresh_token!)).json()) as Tokens;
  assert.equal(refreshed.expires_in, 120);
  const unset = await exchangeCode(url, app, await obtainCode(url, app));
  assert.equal(unset.expires_in, 7200, 'ACCESS_EXPIRY_SECONDS when the client does not ask');
  const bad = redirectParams(
    await authorize(url, { client_id: app.clientId, response_type: 'code', redirect_uri: app.redirectUris[0], scope: 'balance:read', expires_in: '-5' }, { jwt: await userJwt() }),
  );
  assert.equal(bad.get('error'), 'invalid_request');
});

test('expired access tokens are refused (cached or not), expired refresh tokens too', async () => {
  const seen = await exchangeCode(url, app, await obtainCode(url, app, { scope: SCOPES, expires_in: '120' }));
  const unseen = await exchangeCode(url, app, await obtainCode(url, app, { scope: SCOPES, expires_in: '120' }));
  assert.equal(await meStatus(seen.access_token), 200);
  let restore = advanceClock(satgate, 121);
  try {
    assert.equal(await meStatus(seen.access_token), 401, 'a cached token past its expiry');
    assert.equal(await meStatus(unseen.access_token), 401, 'a token the cache never saw');
    assert.equal((await refresh(app, unseen.refresh_token!)).status, 200, 'the refresh token outlives the access token');
  } finally {
    restore();
  }
  restore = advanceClock(satgate, 30 * 24 * 3600 + 1);
  try {
    const late = await refresh(app, seen.refresh_token!);
    assert.deepEqual(await late.json(), { error: 'invalid_grant', error_description: 'refresh token has expired' });
  } finally {
    restore();
  }
});

test('secrets, codes and tokens are stored only as SHA-256 hashes; tokens carry 256 random bits', async () => {
  const fresh = await registerClient(url, { domain: 'https://hash.example.com/cb' });
  const code = await obtainCode(url, fresh, { scope: SCOPES });
  const tokens = await exchangeCode(url, fresh, code);
  for (const t of [tokens.access_token, tokens.refresh_token!, code, fresh.clientSecret!]) {
    assert.equal(Buffer.from(t, 'base64url').length, 32, 'a 256-bit value');
  }
  const dump = (await query<{ row: string }>(
    `SELECT row_to_json(c)::text AS row FROM oauth_clients c UNION ALL SELECT row_to_json(a)::text FROM oauth_authorization_codes a
     UNION ALL SELECT row_to_json(t)::text FROM oauth_tokens t UNION ALL SELECT row_to_json(g)::text FROM oauth_grants g`,
  )).map((r) => r.row).join('\n');
  for (const secret of [tokens.access_token, tokens.refresh_token!, code, fresh.clientSecret!]) {
    assert.ok(!dump.includes(secret), 'no raw secret in the database');
    assert.ok(dump.includes(sha256(secret)), 'its hash is what is stored');
  }
});

test('the admin API needs the admin token', async () => {
  const calls: Array<[string, string]> = [
    ['POST', '/admin/clients'],
    ['GET', '/admin/clients'],
    ['GET', `/admin/clients/${app.clientId}`],
    ['PUT', `/admin/clients/${app.clientId}`],
    ['DELETE', `/admin/clients/${app.clientId}`],
    ['POST', `/admin/clients/${app.clientId}/secret`],
  ];
  for (const [method, path] of calls) {
    const withBody = method === 'POST' || method === 'PUT';
    const credentials: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong-token' }, { authorization: basic(app.clientId, app.clientSecret) }];
    for (const headers of credentials) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: withBody ? { ...headers, 'content-type': 'application/json' } : headers,
        body: withBody ? '{"name":"x","domain":"https://x.example/cb"}' : undefined,
      });
      assert.equal(res.status, 401, `${method} ${path}`);
    }
  }
  assert.equal((await query('SELECT 1 FROM oauth_clients WHERE client_id = $1', [app.clientId])).length, 1, 'nothing was deleted');
});

function exchangeCodeRaw(client: RegisteredClient, code: string, extra: Record<string, string>): Promise<Response> {
  return postForm(url, '/oauth/token', { grant_type: 'authorization_code', code, redirect_uri: client.redirectUris[0], ...extra }, { authorization: basic(client.clientId, client.clientSecret) });
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
