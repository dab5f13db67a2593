/**
 * Review findings on the OAuth endpoints, each asserted as a client or user sees it: revocation takes pending
 * codes along, user JWTs need `exp` and cannot name local accounts, reflected input stays small, the
 * client-authenticated endpoints take form bodies only, and the authorize error page is hardened like the
 * login pages.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { startTestApp, TEST_JWT_SECRET } from './support/app';
import { resetDatabase } from './support/database';
import { createAccount } from './login.helpers';
import { authorize, basic, exchangeCode, obtainCode, postForm, redirectParams, registerClient, type RegisteredClient, userJwt } from './oauth.helpers';

let satgate: RunningSatgate;
let url: string;
let app: RegisteredClient;

before(async () => {
  await resetDatabase();
  satgate = await startTestApp({ MAX_AUTHORIZE_EXPIRY_SECONDS: '3600' });
  url = satgate.url;
  app = await registerClient(url, { domain: 'https://app.example.com/callback' });
});
after(() => satgate?.close());

function exchangeRaw(code: string): Promise<Response> {
  return postForm(url, '/oauth/token', { grant_type: 'authorization_code', code, redirect_uri: app.redirectUris[0] }, { authorization: basic(app.clientId, app.clientSecret) });
}

function authorizeParams(extra: Record<string, string> = {}): Record<string, string> {
  return { client_id: app.clientId, response_type: 'code', redirect_uri: app.redirectUris[0], scope: 'balance:read', state: 's', ...extra };
}

/** A user JWT as a careless issuer might make it: claims exactly as given, HS256 with the right secret. */
function rawUserJwt(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(TEST_JWT_SECRET));
}

test('DELETE /clients/:clientId also kills the codes the user approved before, so the app cannot exchange them after', async () => {
  const jwt = await userJwt(3001, 'carol');
  const first = await obtainCode(url, app, {}, jwt);
  await exchangeCode(url, app, first);
  const pending = await obtainCode(url, app, {}, jwt);
  const del = await fetch(`${url}/clients/${app.clientId}`, { method: 'DELETE', headers: { authorization: `Bearer ${jwt}` } });
  assert.equal(del.status, 200);
  assert.deepEqual(await del.json(), { clientId: app.clientId, revokedGrants: 1 });
  const late = await exchangeRaw(pending);
  assert.equal(late.status, 400);
  assert.deepEqual(await late.json(), { error: 'invalid_grant', error_description: 'authorization code is invalid' });

  // A user who only approved (the app never exchanged the code) can still take it back.
  const dave = await userJwt(3002, 'dave');
  const onlyCode = await obtainCode(url, app, {}, dave);
  const cancel = await fetch(`${url}/clients/${app.clientId}`, { method: 'DELETE', headers: { authorization: `Bearer ${dave}` } });
  assert.equal(cancel.status, 200);
  assert.deepEqual(await cancel.json(), { clientId: app.clientId, revokedGrants: 0 });
  assert.equal((await exchangeRaw(onlyCode)).status, 400);
  const nothing = await fetch(`${url}/clients/${app.clientId}`, { method: 'DELETE', headers: { authorization: `Bearer ${dave}` } });
  assert.equal(nothing.status, 404, 'nothing left to revoke');
});

test('a user JWT without exp, or naming a local account, is refused with 401 invalid_token', async () => {
  const local = await createAccount(url, 'mallory-target', 'target-password-1');
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['no exp', { id: 214, identifier: 'B07KQWNvGAiq2kGWU3kz' }, 'user token must carry an exp claim'],
    ['a local account id', { id: local.userId, identifier: 'mallory-target', exp: Math.floor(Date.now() / 1000) + 600 }, 'user token id must not start with local: (reserved for local accounts)'],
  ];
  for (const [name, claims, description] of cases) {
    const jwt = await rawUserJwt(claims);
    const res = await authorize(url, authorizeParams(), { jwt });
    assert.equal(res.status, 401, name);
    assert.equal(res.headers.get('location'), null, `${name}: no code`);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="satgate", error="invalid_token"');
    assert.deepEqual(await res.json(), { error: 'invalid_token', error_description: description });
    assert.equal((await fetch(`${url}/clients`, { headers: { authorization: `Bearer ${jwt}` } })).status, 401, `${name}: /clients`);
  }
});

test('an oversized state or scope list is an invalid_request redirect of bounded size, without echoing it', async () => {
  const jwt = await userJwt();
  const longState = 's'.repeat(2049);
  const state = await authorize(url, authorizeParams({ state: longState }), { jwt });
  const stateParams = redirectParams(state);
  assert.equal(stateParams.get('error'), 'invalid_request');
  assert.equal(stateParams.get('error_description'), 'state must be at most 2048 characters');
  assert.equal(stateParams.get('state'), null);
  assert.equal(stateParams.get('code'), null);
  assert.ok(state.headers.get('location')!.length < 300, 'the Location stays small');
  const maxState = redirectParams(await authorize(url, authorizeParams({ state: 's'.repeat(2048) }), { jwt }));
  assert.ok(maxState.get('code'), '2048 characters are fine');
  assert.equal(maxState.get('state'), 's'.repeat(2048));

  const scope = await authorize(url, authorizeParams({ scope: 'balance:read '.repeat(200) }), { jwt });
  assert.equal(redirectParams(scope).get('error'), 'invalid_request');
  assert.equal(redirectParams(scope).get('code'), null);
  assert.ok(scope.headers.get('location')!.length < 300);

  const unknown = Array.from({ length: 150 }, (_, i) => `x:${i}`).join(' ');
  const many = await authorize(url, authorizeParams({ scope: unknown }), { jwt });
  assert.equal(redirectParams(many).get('error'), 'invalid_scope');
  assert.equal(redirectParams(many).get('error_description'), 'scope names 150 scopes this server does not offer');
});

test('expires_in of any number of digits is capped like any large value; zero is still refused', async () => {
  for (const expires_in of ['99999999999', '1'.repeat(40)]) {
    const tokens = await exchangeCode(url, app, await obtainCode(url, app, { expires_in }));
    assert.equal(tokens.expires_in, 3600, expires_in);
  }
  assert.equal((await exchangeCode(url, app, await obtainCode(url, app, { expires_in: '000000000000000120' }))).expires_in, 120);
  const jwt = await userJwt();
  for (const expires_in of ['0', '0000000000000', '12a', '1e9']) {
    assert.equal(redirectParams(await authorize(url, authorizeParams({ expires_in }), { jwt })).get('error'), 'invalid_request', expires_in);
  }
});

test('token, introspection and revocation take only form bodies: anything else is 400 invalid_request with CORS and no-store', async () => {
  const creds = { authorization: basic(app.clientId, app.clientSecret) };
  const bodies: Array<[string, Record<string, string>, string | Uint8Array]> = [
    ['application/json', { 'content-type': 'application/json' }, JSON.stringify({ grant_type: 'client_credentials', token: 'x' })],
    ['text/plain', { 'content-type': 'text/plain' }, 'grant_type=client_credentials&token=x'],
    ['multipart/form-data', { 'content-type': 'multipart/form-data; boundary=b' }, '--b\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\nclient_credentials\r\n--b--\r\n'],
    ['no content type', {}, new TextEncoder().encode('grant_type=client_credentials&token=x')],
  ];
  for (const path of ['/oauth/token', '/oauth/introspect', '/oauth/revoke']) {
    for (const [name, headers, body] of bodies) {
      const res = await fetch(`${url}${path}`, { method: 'POST', headers: { ...creds, ...headers }, body });
      assert.equal(res.status, 400, `${path} ${name}`);
      assert.deepEqual(await res.json(), { error: 'invalid_request', error_description: 'the request body must be application/x-www-form-urlencoded' });
      assert.equal(res.headers.get('access-control-allow-origin'), '*', `${path} ${name}`);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal(res.headers.get('pragma'), 'no-cache');
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    }
  }
  const form = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { ...creds, 'content-type': 'Application/X-WWW-Form-URLEncoded; charset=UTF-8' },
    body: 'grant_type=client_credentials&scope=balance%3Aread',
  });
  assert.equal(form.status, 200, 'the form media type, any case, with a charset');
});

test('the /oauth/authorize error page has the login pages\' security headers and phone viewport', async () => {
  const res = await authorize(url, authorizeParams({ client_id: '<script>x</script>' }), { headers: { accept: 'text/html' } });
  assert.equal(res.status, 400);
  assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.equal(res.headers.get('x-frame-options'), 'DENY');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
  assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  const html = await res.text();
  assert.ok(html.includes('<meta name="viewport" content="width=device-width, initial-scale=1">'));
  assert.ok(html.includes('<code>invalid_client</code>: unknown client_id'));
  assert.ok(!html.includes('<script>'), 'nothing from the request is rendered raw');
});
