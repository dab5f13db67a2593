/**
 * The token endpoint takes its parameters from the query string as well as the form body, the way Alby's
 * service reads them and its SDK sends them (every parameter in the query, an empty form body, Basic with an
 * empty password for a public client), with every existing refusal kept — and nothing carried in such a URL
 * reaches the log or an error body.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildQueryString } from '@getalby/sdk/oauth';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { startTestApp, tempDir } from './support/app';
import { resetDatabase } from './support/database';
import {
  basic,
  exchangeCode,
  getWithBearer,
  obtainCode,
  postForm,
  registerClient,
  type RegisteredClient,
  RFC7636_CHALLENGE,
  RFC7636_VERIFIER,
  type Tokens,
} from './oauth.helpers';

let satgate: RunningSatgate;
let url: string;
let app: RegisteredClient;
let spa: RegisteredClient;
let logDir: string;
let logFile: string;

before(async () => {
  await resetDatabase();
  logDir = tempDir('satgate-oauth-query-');
  logFile = path.join(logDir, 'satgate.log');
  satgate = await startTestApp({ LOG_FILE: logFile, LOG_LEVEL: 'trace', DEMO: 'true' });
  url = satgate.url;
  app = await registerClient(url, { domain: 'https://app.example.com/callback' });
  spa = await registerClient(url, { domain: 'http://127.0.0.1:7777/cb', public: true });
});
after(async () => {
  await satgate?.close();
  fs.rmSync(logDir, { recursive: true, force: true });
});

/** Exactly what @getalby/sdk sends: parameters in the query (its own encoder), form content type, no body. */
function postQuery(params: Record<string, string | undefined>, headers: Record<string, string> = {}, body?: Record<string, string>): Promise<Response> {
  return fetch(`${url}/oauth/token?${buildQueryString(params)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: body === undefined ? undefined : new URLSearchParams(body).toString(),
  });
}

async function expectError(res: Response, status: number, error: string, description?: string | RegExp): Promise<Record<string, unknown>> {
  const text = await res.text();
  assert.equal(res.status, status, text);
  const body = JSON.parse(text) as Record<string, unknown>;
  assert.equal(body.error, error, text);
  if (typeof description === 'string') assert.equal(body.error_description, description);
  else if (description) assert.match(String(body.error_description), description);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  return body;
}

const codeFor = (client: RegisteredClient, extra: Record<string, string> = {}): Promise<string> =>
  obtainCode(url, client, client.public ? { code_challenge: RFC7636_CHALLENGE, code_challenge_method: 'S256', ...extra } : extra);

/** Every value that travelled in a URL during the run: none may appear in the log. */
const urlSecrets = new Map<string, string>();
const remember = (label: string, value: string | undefined): string => {
  assert.ok(value, label);
  urlSecrets.set(label, value);
  return value;
};

test('query only: a confidential client (Basic) redeems a code and refreshes, as the SDK sends them', async () => {
  const code = remember('confidential code', await codeFor(app));
  const res = await postQuery(
    { code, grant_type: 'authorization_code', client_id: app.clientId, redirect_uri: app.redirectUris[0] },
    { authorization: basic(app.clientId, app.clientSecret) },
  );
  assert.equal(res.status, 200, await res.clone().text());
  const tokens = (await res.json()) as Tokens;
  assert.equal(tokens.token_type, 'Bearer');
  assert.equal(tokens.scope, 'balance:read');
  assert.equal((await getWithBearer(url, '/oauth/token/introspect', tokens.access_token)).status, 200);
  remember('confidential refresh token', tokens.refresh_token);

  const refreshed = await postQuery(
    { client_id: app.clientId, grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
    { authorization: basic(app.clientId, app.clientSecret) },
  );
  assert.equal(refreshed.status, 200, await refreshed.clone().text());
  const rotated = (await refreshed.json()) as Tokens;
  assert.notEqual(rotated.refresh_token, tokens.refresh_token);
  assert.equal((await getWithBearer(url, '/oauth/token/introspect', rotated.access_token)).status, 200);
});

test('query only: a public client with PKCE and Basic "client_id:" (empty password = identification, not authentication)', async () => {
  const code = remember('public code', await codeFor(spa));
  remember('PKCE verifier', RFC7636_VERIFIER);
  const res = await postQuery(
    { code, grant_type: 'authorization_code', code_verifier: RFC7636_VERIFIER, client_id: spa.clientId, redirect_uri: spa.redirectUris[0] },
    { authorization: basic(spa.clientId, '') },
  );
  assert.equal(res.status, 200, await res.clone().text());
  const tokens = (await res.json()) as Tokens;
  remember('public refresh token', tokens.refresh_token);
  const refreshed = await postQuery(
    { client_id: spa.clientId, grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
    { authorization: basic(spa.clientId, '') },
  );
  assert.equal(refreshed.status, 200, await refreshed.clone().text());
});

test('body only still works, and mixed query + body requests work', async () => {
  const bodyOnly = await exchangeCode(url, app, await codeFor(app));
  assert.equal(bodyOnly.token_type, 'Bearer');

  const code = remember('mixed code', await codeFor(app));
  const mixed = await postQuery(
    { grant_type: 'authorization_code', redirect_uri: app.redirectUris[0] },
    { authorization: basic(app.clientId, app.clientSecret) },
    { code },
  );
  assert.equal(mixed.status, 200, await mixed.clone().text());

  // The same value in both places is read once.
  const same = remember('same-value code', await codeFor(app));
  const both = await postQuery(
    { grant_type: 'authorization_code', code: same, redirect_uri: app.redirectUris[0] },
    { authorization: basic(app.clientId, app.clientSecret) },
    { grant_type: 'authorization_code', code: same },
  );
  assert.equal(both.status, 200, await both.clone().text());

  // client_secret_post in the body with the rest in the query.
  const post = remember('client_secret_post code', await codeFor(app));
  const secretInBody = await postQuery(
    { grant_type: 'authorization_code', code: post, redirect_uri: app.redirectUris[0], client_id: app.clientId },
    {},
    { client_secret: app.clientSecret! },
  );
  assert.equal(secretInBody.status, 200, await secretInBody.clone().text());
});

test('a parameter given in the query and the body with different values is invalid_request, and nothing is consumed', async () => {
  const code = remember('conflict code', await codeFor(app));
  const auth = { authorization: basic(app.clientId, app.clientSecret) };
  const conflicts: Array<[string, Record<string, string>, Record<string, string>]> = [
    ['redirect_uri', { grant_type: 'authorization_code', code, redirect_uri: app.redirectUris[0] }, { redirect_uri: 'https://evil.example/cb' }],
    ['code', { grant_type: 'authorization_code', code, redirect_uri: app.redirectUris[0] }, { code: 'y'.repeat(43) }],
    ['grant_type', { grant_type: 'authorization_code', code, redirect_uri: app.redirectUris[0] }, { grant_type: 'refresh_token' }],
    ['client_id', { grant_type: 'client_credentials', client_id: app.clientId }, { client_id: spa.clientId }],
  ];
  for (const [name, query, body] of conflicts) {
    const err = await expectError(await postQuery(query, auth, body), 400, 'invalid_request', `parameter ${name} is given in the query and the body with different values`);
    assert.ok(!JSON.stringify(err).includes(code), 'the error body does not echo the code');
  }
  // A parameter repeated inside the query is still refused.
  const repeated = await fetch(`${url}/oauth/token?grant_type=authorization_code&code=${code}&code=${code}x&redirect_uri=${app.redirectUris[0]}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth },
  });
  await expectError(repeated, 400, 'invalid_request', 'parameter code must not be repeated');
  // The code was never looked at: it still redeems.
  const ok = await postQuery({ grant_type: 'authorization_code', code, redirect_uri: app.redirectUris[0] }, auth);
  assert.equal(ok.status, 200, await ok.clone().text());
});

test('client_secret in the query is invalid_request (RFC 6749 §2.3.1), with or without Basic, right or wrong', async () => {
  const code = await codeFor(app);
  const cases: Array<[Record<string, string>, Record<string, string>]> = [
    [{ grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret! }, {}],
    [{ grant_type: 'client_credentials', client_secret: app.clientSecret! }, { authorization: basic(app.clientId, app.clientSecret) }],
    [{ grant_type: 'authorization_code', code, redirect_uri: app.redirectUris[0], client_id: app.clientId, client_secret: 'wrong' }, {}],
  ];
  for (const [query, headers] of cases) {
    const err = await expectError(await postQuery(query, headers), 400, 'invalid_request', 'client_secret must not be sent in the query string (RFC 6749 §2.3.1)');
    assert.ok(!JSON.stringify(err).includes(app.clientSecret!));
  }
  // Not even when the body carries the same secret.
  await expectError(
    await postQuery({ grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret! }, {}, { client_secret: app.clientSecret! }),
    400,
    'invalid_request',
  );
  // The code was not consumed by any of these.
  const ok = await postQuery({ grant_type: 'authorization_code', code, redirect_uri: app.redirectUris[0] }, { authorization: basic(app.clientId, app.clientSecret) });
  assert.equal(ok.status, 200);
});

test('every existing refusal holds for query-string requests', async () => {
  const auth = { authorization: basic(app.clientId, app.clientSecret) };
  await expectError(await postQuery({}, auth), 400, 'invalid_request', 'missing required parameter: grant_type');
  await expectError(await postQuery({ grant_type: 'password', username: 'u', password: 'p' }, auth), 400, 'unsupported_grant_type');

  const wrong = await postQuery({ grant_type: 'client_credentials' }, { authorization: basic(app.clientId, 'wrong') });
  await expectError(wrong, 401, 'invalid_client');
  assert.equal(wrong.headers.get('www-authenticate'), 'Basic realm="satgate"');
  await expectError(await postQuery({ grant_type: 'client_credentials' }), 401, 'invalid_client', 'client authentication required');
  // A confidential client naming itself by an empty Basic password (as a public client does) does not authenticate.
  await expectError(await postQuery({ grant_type: 'client_credentials' }, { authorization: basic(app.clientId, '') }), 401, 'invalid_client');
  // A query client_id other than the Basic one.
  await expectError(await postQuery({ grant_type: 'client_credentials', client_id: spa.clientId }, auth), 400, 'invalid_request', 'client_id in the body does not match the Authorization header');
  // Public clients cannot use client_credentials.
  await expectError(await postQuery({ grant_type: 'client_credentials', client_id: spa.clientId }, { authorization: basic(spa.clientId, '') }), 400, 'unauthorized_client');

  // Redirect URI must match exactly.
  const code = await codeFor(app);
  await expectError(await postQuery({ grant_type: 'authorization_code', code, redirect_uri: `${app.redirectUris[0]}/` }, auth), 400, 'invalid_grant', 'redirect_uri does not match the authorization request');
  // PKCE: missing and wrong verifiers.
  const spaCode = await codeFor(spa);
  const spaAuth = { authorization: basic(spa.clientId, '') };
  await expectError(await postQuery({ grant_type: 'authorization_code', code: spaCode, redirect_uri: spa.redirectUris[0] }, spaAuth), 400, 'invalid_grant', 'code_verifier required: the authorization request used PKCE');
  const spaCode2 = await codeFor(spa);
  await expectError(
    await postQuery({ grant_type: 'authorization_code', code: spaCode2, code_verifier: RFC7636_VERIFIER.replace(/^d/, 'e'), redirect_uri: spa.redirectUris[0] }, spaAuth),
    400,
    'invalid_grant',
    'PKCE verification failed',
  );
  // Another client's code.
  const appCode = await codeFor(app);
  await expectError(await postQuery({ grant_type: 'authorization_code', code: appCode, code_verifier: RFC7636_VERIFIER, redirect_uri: app.redirectUris[0] }, spaAuth), 400, 'invalid_grant', 'authorization code is invalid');

  // A reused code fails and revokes what it issued; a reused refresh token revokes its family.
  const reused = await codeFor(app);
  const first = await postQuery({ grant_type: 'authorization_code', code: reused, redirect_uri: app.redirectUris[0] }, auth);
  const tokens = (await first.json()) as Tokens;
  await expectError(await postQuery({ grant_type: 'authorization_code', code: reused, redirect_uri: app.redirectUris[0] }, auth), 400, 'invalid_grant', 'authorization code was already used');
  assert.equal((await getWithBearer(url, '/oauth/token/introspect', tokens.access_token)).status, 401, 'code reuse revoked the tokens it issued');

  const fresh = await exchangeCode(url, app, await codeFor(app));
  const rotated = (await (await postQuery({ grant_type: 'refresh_token', refresh_token: fresh.refresh_token }, auth)).json()) as Tokens;
  await expectError(await postQuery({ grant_type: 'refresh_token', refresh_token: fresh.refresh_token }, auth), 400, 'invalid_grant', 'refresh token was already used');
  assert.equal((await getWithBearer(url, '/oauth/token/introspect', rotated.access_token)).status, 401, 'refresh reuse revoked the family');
  // Another client's refresh token.
  const spaTokens = (await (
    await postQuery({ grant_type: 'authorization_code', code: await codeFor(spa), code_verifier: RFC7636_VERIFIER, redirect_uri: spa.redirectUris[0] }, spaAuth)
  ).json()) as Tokens;
  await expectError(await postQuery({ grant_type: 'refresh_token', refresh_token: spaTokens.refresh_token }, auth), 400, 'invalid_grant', 'refresh token was issued to another client');
  // The form body is still the only body encoding.
  const json = await fetch(`${url}/oauth/token?grant_type=client_credentials`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{}' });
  await expectError(json, 400, 'invalid_request', 'the request body must be application/x-www-form-urlencoded');
});

test('introspection and revocation keep reading the body only', async () => {
  const tokens = await exchangeCode(url, app, await codeFor(app));
  const auth = { authorization: basic(app.clientId, app.clientSecret) };
  const introspect = await fetch(`${url}/oauth/introspect?token=${tokens.access_token}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' } });
  await expectError(introspect, 400, 'invalid_request', 'missing required parameter: token');
  const active = await postForm(url, '/oauth/introspect', { token: tokens.access_token }, auth);
  assert.equal(((await active.json()) as { active: boolean }).active, true);
});

test('neither the metrics nor the log of all the above hold a code, refresh token or verifier that travelled in a URL', async () => {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  assert.match(metrics, /route="\/oauth\/token"/);
  for (const [label, value] of urlSecrets) assert.ok(!metrics.includes(value), `a metric label contains the ${label}`);
  await satgate.close();
  const log = fs.readFileSync(logFile, 'utf8');
  assert.match(log, /"path":"\/oauth\/token"/, 'the request lines are in the log');
  assert.match(log, /"route":"\/oauth\/token"/, 'labelled by route template, as the metrics are');
  assert.ok(!/\/oauth\/token\?/.test(log), 'no token-endpoint URL with its query is logged');
  assert.ok(urlSecrets.size >= 8);
  for (const [label, value] of urlSecrets) assert.ok(!log.includes(value), `the log contains the ${label}`);
  assert.ok(!log.includes(app.clientSecret!), 'nor the client secret sent in a query');
});
