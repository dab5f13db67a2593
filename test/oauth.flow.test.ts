import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { startTestApp } from './support/app';
import { resetDatabase } from './support/database';
import {
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

before(async () => {
  await resetDatabase();
  satgate = await startTestApp();
  url = satgate.url;
  app = await registerClient(url, { domain: 'https://app.example.com/callback' });
});
after(() => satgate?.close());

const OPAQUE = /^[A-Za-z0-9_-]{43}$/;

test("the seed's two-step flow: authorize with the user JWT -> 302 with code; token with Basic -> the seed's JSON", async () => {
  const jwt = await userJwt();
  // Alby's README: `http -f POST .../oauth/authorize?client_id=...&response_type=code&redirect_uri=...&scope=balance:read`
  const res = await authorize(
    url,
    { client_id: app.clientId, response_type: 'code', redirect_uri: 'https://app.example.com/callback', scope: 'balance:read', state: 'xyz' },
    { jwt, method: 'POST' },
  );
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const location = res.headers.get('location')!;
  assert.ok(location.startsWith('https://app.example.com/callback?code='), location);
  const params = redirectParams(res);
  assert.equal(params.get('state'), 'xyz');
  assert.equal(params.get('iss'), url);
  assert.match(params.get('code')!, OPAQUE);

  const token = await postForm(
    url,
    '/oauth/token',
    { code: params.get('code')!, grant_type: 'authorization_code', redirect_uri: 'https://app.example.com/callback' },
    { authorization: basic(app.clientId, app.clientSecret) },
  );
  assert.equal(token.status, 200);
  assert.equal(token.headers.get('cache-control'), 'no-store');
  assert.equal(token.headers.get('pragma'), 'no-cache');
  const body = (await token.json()) as Tokens;
  assert.deepEqual(Object.keys(body), ['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
  assert.match(body.access_token, OPAQUE);
  assert.match(body.refresh_token!, OPAQUE);
  assert.notEqual(body.access_token, body.refresh_token);
  assert.equal(body.expires_in, 7200);
  assert.equal(body.scope, 'balance:read');
  assert.equal(body.token_type, 'Bearer');
});

test('PKCE for a public client with the RFC 7636 vector: no secret anywhere, verifier redeems the code', async () => {
  const spa = await registerClient(url, { domain: 'http://127.0.0.1:7777/cb', public: true });
  assert.equal(spa.public, true);
  assert.equal(spa.clientSecret, undefined, 'a public client gets no secret');
  const code = await obtainCode(url, spa, { code_challenge: RFC7636_CHALLENGE, code_challenge_method: 'S256' });
  const res = await postForm(url, '/oauth/token', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: 'http://127.0.0.1:7777/cb',
    client_id: spa.clientId,
    code_verifier: RFC7636_VERIFIER,
  });
  assert.equal(res.status, 200, await res.clone().text());
  const tokens = (await res.json()) as Tokens;
  assert.equal(tokens.scope, 'balance:read');
  // Alby's public clients send Basic with an empty password: the same client, same rule.
  const code2 = await obtainCode(url, spa, { code_challenge: RFC7636_CHALLENGE, code_challenge_method: 'S256' });
  const viaBasic = await postForm(
    url,
    '/oauth/token',
    { grant_type: 'authorization_code', code: code2, redirect_uri: 'http://127.0.0.1:7777/cb', code_verifier: RFC7636_VERIFIER },
    { authorization: basic(spa.clientId) },
  );
  assert.equal(viaBasic.status, 200);
});

test('@RequireScopes on GET /demo/me: 401 without or with a bad token, 403 without the scope, 200 with it', async () => {
  const none = await fetch(`${url}/demo/me`);
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="satgate"');

  const bad = await getWithBearer(url, '/demo/me', 'not-a-token');
  assert.equal(bad.status, 401);
  assert.equal(bad.headers.get('www-authenticate'), 'Bearer realm="satgate", error="invalid_token"');

  const narrow = await exchangeCode(url, app, await obtainCode(url, app, { scope: 'balance:read' }));
  const forbidden = await getWithBearer(url, '/demo/me', narrow.access_token);
  assert.equal(forbidden.status, 403);
  assert.equal(forbidden.headers.get('www-authenticate'), 'Bearer realm="satgate", error="insufficient_scope", scope="account:read"');

  const wide = await exchangeCode(url, app, await obtainCode(url, app, { scope: 'account:read balance:read' }, await userJwt(42, 'alice')));
  const ok = await getWithBearer(url, '/demo/me', wide.access_token);
  assert.equal(ok.status, 200);
  const me = (await ok.json()) as { oauth: Record<string, unknown> };
  assert.equal(me.oauth.clientId, app.clientId);
  assert.equal(me.oauth.userId, '42');
  assert.equal(me.oauth.identifier, 'alice');
  assert.deepEqual(me.oauth.scopes, ['account:read', 'balance:read']);
  assert.match(String(me.oauth.grantId), /^[0-9a-f-]{36}$/);
  assert.ok(!JSON.stringify(me).includes(wide.access_token), 'the principal never carries the token itself');
});

test("GET /oauth/token/introspect answers Alby's shape for the bearer token", async () => {
  const tokens = await exchangeCode(url, app, await obtainCode(url, app, { scope: 'balance:read invoices:read' }));
  const res = await getWithBearer(url, '/oauth/token/introspect', tokens.access_token);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), {
    client_id: app.clientId,
    redirect_uri: 'https://app.example.com/callback',
    scopes: {
      'balance:read': 'Read your balance',
      'invoices:read': 'Read your invoice history, get realtime updates on invoices',
    },
  });
  const anonymous = await fetch(`${url}/oauth/token/introspect`);
  assert.equal(anonymous.status, 401);
});

test('GET /oauth/scopes lists the Alby table; RFC 8414 metadata names PUBLIC_URL as issuer', async () => {
  const scopes = (await (await fetch(`${url}/oauth/scopes`)).json()) as Record<string, string>;
  assert.deepEqual(Object.keys(scopes), [
    'account:read',
    'balance:read',
    'invoices:create',
    'invoices:read',
    'payments:send',
    'transactions:read',
  ]);
  const meta = (await (await fetch(`${url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
  assert.equal(meta.issuer, url);
  assert.equal(meta.authorization_endpoint, `${url}/oauth/authorize`);
  assert.equal(meta.token_endpoint, `${url}/oauth/token`);
  assert.equal(meta.introspection_endpoint, `${url}/oauth/introspect`);
  assert.equal(meta.revocation_endpoint, `${url}/oauth/revoke`);
  assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
  assert.deepEqual(meta.grant_types_supported, ['authorization_code', 'refresh_token', 'client_credentials']);
  assert.deepEqual(meta.response_types_supported, ['code']);
  assert.equal(meta.authorization_response_iss_parameter_supported, true);
});

test('authorize: an unknown client is an error shown to the user (JSON, or a page for browsers), never a redirect', async () => {
  const json = await authorize(url, { client_id: 'nope', response_type: 'code', redirect_uri: 'https://evil.example/cb', scope: 'balance:read' }, { jwt: await userJwt() });
  assert.equal(json.status, 400);
  assert.equal(json.headers.get('location'), null);
  assert.deepEqual(await json.json(), { error: 'invalid_client', error_description: 'unknown client_id' });

  const page = await authorize(
    url,
    { client_id: 'nope', response_type: 'code', redirect_uri: 'https://evil.example/cb', scope: 'balance:read' },
    { headers: { accept: 'text/html' } },
  );
  assert.equal(page.status, 400);
  assert.equal(page.headers.get('location'), null);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(await page.text(), /unknown client_id/);
});

test('authorize: errors after the redirect URI is validated go back to it with error and state', async () => {
  const jwt = await userJwt();
  const base = { client_id: app.clientId, redirect_uri: 'https://app.example.com/callback', state: 's-1' };
  const badScope = redirectParams(await authorize(url, { ...base, response_type: 'code', scope: 'balance:read wallet:drain' }, { jwt }));
  assert.equal(badScope.get('error'), 'invalid_scope');
  assert.equal(badScope.get('state'), 's-1');
  assert.equal(badScope.get('code'), null);
  assert.equal(redirectParams(await authorize(url, { ...base, response_type: 'code' }, { jwt })).get('error'), 'invalid_scope');
  const badType = redirectParams(await authorize(url, { ...base, response_type: 'token', scope: 'balance:read' }, { jwt }));
  assert.equal(badType.get('error'), 'unsupported_response_type');
  assert.equal(badType.get('state'), 's-1');
});

test('authorize: the resource owner must present a valid user JWT (401 for API callers, the sign-in page for browsers)', async () => {
  const params = { client_id: app.clientId, response_type: 'code', redirect_uri: 'https://app.example.com/callback', scope: 'balance:read' };
  const none = await authorize(url, params);
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="satgate"');
  assert.equal(none.headers.get('location'), null);

  const expired = await authorize(url, params, { jwt: await userJwt(214, 'x', -60) });
  assert.equal(expired.status, 401);
  assert.equal(expired.headers.get('www-authenticate'), 'Bearer realm="satgate", error="invalid_token"');
  assert.equal(((await expired.json()) as { error_description: string }).error_description, 'user token has expired');

  const forged = await authorize(url, params, { jwt: (await userJwt()).slice(0, -4) + 'AAAA' });
  assert.equal(forged.status, 401);
  assert.equal(forged.headers.get('location'), null);

  // A browser without a user JWT is handed to the sign-in/consent page with the very same request.
  const browser = await authorize(url, params, { headers: { accept: 'text/html,application/xhtml+xml' } });
  assert.equal(browser.status, 302);
  assert.equal(browser.headers.get('location'), `/login/authorize?${new URLSearchParams(params).toString()}`);

  // Alby's own server reads the raw header: a bare JWT works too.
  const bare = await authorize(url, params, { headers: { authorization: await userJwt() } });
  assert.equal(bare.status, 302);
});

test('client_credentials: a confidential client gets an access token without a refresh token or user', async () => {
  const res = await postForm(url, '/oauth/token', { grant_type: 'client_credentials', scope: 'account:read' }, { authorization: basic(app.clientId, app.clientSecret) });
  assert.equal(res.status, 200);
  const body = (await res.json()) as Tokens;
  assert.deepEqual(Object.keys(body), ['access_token', 'expires_in', 'scope', 'token_type']);
  const me = (await (await getWithBearer(url, '/demo/me', body.access_token)).json()) as { oauth: Record<string, unknown> };
  assert.equal(me.oauth.clientId, app.clientId);
  assert.equal(me.oauth.userId, undefined);

  const spa = await registerClient(url, { domain: 'https://spa.example.com/cb', public: true });
  const refused = await postForm(url, '/oauth/token', { grant_type: 'client_credentials', client_id: spa.clientId });
  assert.equal(refused.status, 400);
  assert.equal(((await refused.json()) as { error: string }).error, 'unauthorized_client');
});

test('token endpoint errors follow RFC 6749 §5.2', async () => {
  const noGrant = await postForm(url, '/oauth/token', {}, { authorization: basic(app.clientId, app.clientSecret) });
  assert.equal(noGrant.status, 400);
  assert.deepEqual(await noGrant.json(), { error: 'invalid_request', error_description: 'missing required parameter: grant_type' });

  const unknown = await postForm(url, '/oauth/token', { grant_type: 'password' }, { authorization: basic(app.clientId, app.clientSecret) });
  assert.equal(unknown.status, 400);
  assert.equal(((await unknown.json()) as { error: string }).error, 'unsupported_grant_type');

  const wrongSecret = await postForm(url, '/oauth/token', { grant_type: 'client_credentials' }, { authorization: basic(app.clientId, 'wrong') });
  assert.equal(wrongSecret.status, 401);
  assert.equal(wrongSecret.headers.get('www-authenticate'), 'Basic realm="satgate"');
  assert.equal(((await wrongSecret.json()) as { error: string }).error, 'invalid_client');

  const inBody = await postForm(url, '/oauth/token', { grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret! });
  assert.equal(inBody.status, 200, 'client_secret_post works too');

  const badCode = await postForm(url, '/oauth/token', { grant_type: 'authorization_code', code: 'x'.repeat(43), redirect_uri: 'https://app.example.com/callback' }, { authorization: basic(app.clientId, app.clientSecret) });
  assert.equal(badCode.status, 400);
  assert.equal(((await badCode.json()) as { error: string }).error, 'invalid_grant');
});

test('CORS: preflight and responses (errors included) of token, introspection and revocation allow browser clients', async () => {
  for (const path of ['/oauth/token', '/oauth/introspect', '/oauth/revoke']) {
    const pre = await fetch(`${url}${path}`, {
      method: 'OPTIONS',
      headers: { origin: 'https://spa.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    assert.equal(pre.status, 204, path);
    assert.equal(pre.headers.get('access-control-allow-origin'), '*');
    assert.match(pre.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /Authorization/);
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /Content-Type/);
    const err = await postForm(url, path, {}, { origin: 'https://spa.example.com' });
    assert.ok(err.status >= 400, path);
    assert.equal(err.headers.get('access-control-allow-origin'), '*', `${path} error response`);
  }
});
