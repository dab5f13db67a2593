/**
 * Alby's own SDK (`@getalby/sdk/oauth`, unchanged) against a running satgate: the authorize links it builds,
 * `requestAccessToken`, `refreshAccessToken` and the automatic refresh `getAuthHeader` does once a real, short
 * expiry has passed — for a confidential client and for a public client with PKCE S256.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { OAuth2User, type Token } from '@getalby/sdk/oauth';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { startTestApp } from './support/app';
import { resetDatabase } from './support/database';
import { getWithBearer, registerClient, type RegisteredClient, userJwt } from './oauth.helpers';

let satgate: RunningSatgate;
let url: string;
let confidential: RegisteredClient;
let spa: RegisteredClient;

before(async () => {
  await resetDatabase();
  satgate = await startTestApp({ DEMO: 'true' });
  url = satgate.url;
  confidential = await registerClient(url, { domain: 'https://app.example.com/callback' });
  spa = await registerClient(url, { domain: 'http://127.0.0.1:7777/cb', public: true });
});
after(() => satgate?.close());

function sdkUser(client: RegisteredClient, scopes: Array<'balance:read' | 'account:read' | 'invoices:read'>): OAuth2User {
  return new OAuth2User({
    client_id: client.clientId,
    ...(client.clientSecret === undefined ? {} : { client_secret: client.clientSecret }), // an explicit undefined would be sent as "undefined"
    callback: client.redirectUris[0],
    scopes,
    user_agent: 'satgate-test',
    request_options: { base_url: url },
  });
}

/** The resource owner follows the SDK's link and consents (a user JWT, as LNDhub's users sign in); returns the code. */
async function consent(link: string, expectedState?: string): Promise<string> {
  const res = await fetch(link, { headers: { authorization: `Bearer ${await userJwt()}` }, redirect: 'manual' });
  assert.equal(res.status, 302, await res.clone().text());
  const location = new URL(res.headers.get('location')!);
  assert.equal(location.searchParams.get('error'), null, location.href);
  if (expectedState !== undefined) assert.equal(location.searchParams.get('state'), expectedState);
  const code = location.searchParams.get('code');
  assert.ok(code);
  return code;
}

async function introspect(token: string): Promise<{ status: number; body: { client_id?: string; scopes?: Record<string, string> } }> {
  const res = await getWithBearer(url, '/oauth/token/introspect', token);
  return { status: res.status, body: (await res.json()) as { client_id?: string; scopes?: Record<string, string> } };
}

function assertToken(token: Token, scope: string): void {
  assert.equal(typeof token.access_token, 'string');
  assert.equal(typeof token.refresh_token, 'string');
  assert.equal(token.token_type, 'Bearer');
  assert.equal(token.scope, scope);
  assert.equal(typeof token.expires_at, 'number', 'the SDK computed expires_at from expires_in');
}

test('confidential client: generateAuthURL({ authorizeUrl, state }) -> consent -> requestAccessToken -> refreshAccessToken', async () => {
  const user = sdkUser(confidential, ['balance:read', 'account:read']);
  const link = await user.generateAuthURL({ authorizeUrl: `${url}/oauth/authorize`, state: 'sdk-state' });
  assert.ok(link.startsWith(`${url}/oauth/authorize?`), link);
  const code = await consent(link, 'sdk-state');

  const { token } = await user.requestAccessToken(code);
  assertToken(token, 'account:read balance:read');
  assert.ok(token.expires_at! > Date.now() + 7000 * 1000, 'the default 7200 s lifetime');
  const seen = await introspect(token.access_token!);
  assert.equal(seen.status, 200);
  assert.equal(seen.body.client_id, confidential.clientId);
  assert.deepEqual(Object.keys(seen.body.scopes!).sort(), ['account:read', 'balance:read']);

  const { token: refreshed } = await user.refreshAccessToken();
  assertToken(refreshed, 'account:read balance:read');
  assert.notEqual(refreshed.access_token, token.access_token);
  assert.notEqual(refreshed.refresh_token, token.refresh_token);
  assert.equal(user.token, refreshed, 'the SDK keeps the rotated token');
  assert.equal((await introspect(refreshed.access_token!)).status, 200);
  assert.deepEqual(await user.getAuthHeader(), { Authorization: `Bearer ${refreshed.access_token}` });

  // A reused code is still refused to the SDK, with satgate's error body.
  await assert.rejects(user.requestAccessToken(code), (err: { status?: number; error?: { error?: string } }) => {
    assert.equal(err.status, 400);
    assert.equal(err.error?.error, 'invalid_grant');
    return true;
  });
});

test('public client: generateAuthURL({ code_challenge_method: "S256" }) -> requestAccessToken with the verifier, no secret', async () => {
  const user = sdkUser(spa, ['invoices:read']);
  const link = await user.generateAuthURL({ authorizeUrl: `${url}/oauth/authorize`, code_challenge_method: 'S256' });
  const params = new URL(link).searchParams;
  assert.equal(params.get('code_challenge_method'), 'S256');
  assert.equal(params.get('code_challenge'), user.code_challenge);
  const { token } = await user.requestAccessToken(await consent(link));
  assertToken(token, 'invoices:read');
  assert.equal((await introspect(token.access_token!)).status, 200);
  const { token: refreshed } = await user.refreshAccessToken();
  assert.equal((await introspect(refreshed.access_token!)).status, 200);

  // The verifier is what binds the code: another OAuth2User (other verifier) cannot redeem this client's code.
  const thief = sdkUser(spa, ['invoices:read']);
  await thief.generateAuthURL({ code_challenge_method: 'S256' });
  const stolen = await consent(await user.generateAuthURL({ authorizeUrl: `${url}/oauth/authorize`, code_challenge_method: 'S256' }));
  await assert.rejects(thief.requestAccessToken(stolen), (err: { status?: number; error?: { error_description?: string } }) => {
    assert.equal(err.status, 400);
    assert.equal(err.error?.error_description, 'PKCE verification failed');
    return true;
  });
});

test('automatic refresh: after a real 5 s expiry (Alby\'s expires_in at authorize), getAuthHeader refreshes once', async () => {
  const user = sdkUser(spa, ['invoices:read']);
  // `expires_in` is Alby's authorize parameter for a shorter access-token lifetime; generateAuthURL passes its
  // options through to the query, so the SDK can ask for it unchanged.
  const options = { authorizeUrl: `${url}/oauth/authorize`, code_challenge_method: 'S256' as const, expires_in: 5 };
  const { token } = await user.requestAccessToken(await consent(await user.generateAuthURL(options)));
  assert.ok(token.expires_at! <= Date.now() + 5000, 'expires_in 5 came back');
  const refreshedEvents: Token[] = [];
  user.on('tokenRefreshed', ((t: Token) => refreshedEvents.push(t)) as (t: Token) => void);

  // Wait (polling, generous deadline) until satgate itself refuses the old access token.
  const deadline = Date.now() + 30_000;
  while ((await introspect(token.access_token!)).status !== 401) {
    assert.ok(Date.now() < deadline, 'the access token expired on the server');
    await new Promise((r) => setTimeout(r, 200));
  }
  const header = await user.getAuthHeader();
  assert.equal(refreshedEvents.length, 1, 'one refresh');
  assert.notEqual(header.Authorization, `Bearer ${token.access_token}`);
  assert.equal(header.Authorization, `Bearer ${refreshedEvents[0].access_token}`);
  const seen = await introspect(refreshedEvents[0].access_token!);
  assert.equal(seen.status, 200, 'the refreshed token works');
  assert.ok(refreshedEvents[0].expires_at! <= Date.now() + 5000, 'a grant keeps the lifetime it was authorized with');
});
