/**
 * "Secrets and tokens ... never logged": runs every OAuth flow with the structured log at debug level into a
 * file, then scans the file for each secret the run produced or used.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BannerService } from '../src/common/banner.service';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { adminHeaders, startTestApp, tempDir, TEST_ADMIN_TOKEN, TEST_JWT_SECRET } from './support/app';
import { resetDatabase } from './support/database';
import {
  authorize,
  basic,
  exchangeCode,
  getWithBearer,
  obtainCode,
  postForm,
  registerClient,
  RFC7636_CHALLENGE,
  RFC7636_VERIFIER,
  type Tokens,
  userJwt,
} from './oauth.helpers';

let satgate: RunningSatgate;
let logDir: string;
let logFile: string;

before(async () => {
  await resetDatabase();
  logDir = tempDir('satgate-oauth-log-');
  logFile = path.join(logDir, 'satgate.log');
  satgate = await startTestApp({ LOG_FILE: logFile, LOG_LEVEL: 'debug', DEMO: 'true' });
});
after(async () => {
  await satgate?.close();
  fs.rmSync(logDir, { recursive: true, force: true });
});

test('no token, code, client secret or user JWT appears in the structured log of every OAuth flow', async () => {
  const url = satgate.url;
  const secrets = new Map<string, string>([
    ['admin token', TEST_ADMIN_TOKEN],
    ['JWT secret', TEST_JWT_SECRET],
  ]);
  const keep = (label: string, value: string | undefined): void => {
    assert.ok(value, label);
    secrets.set(label, value);
  };

  const sections = await satgate.app.get(BannerService).render();
  const demo = sections.find((s) => s.title.startsWith('OAuth2 demo'))!;
  for (const label of ['User JWT', 'Access token', 'Refresh token']) {
    keep(`demo ${label}`, demo.lines.find((l) => l.startsWith(label))!.slice(label.length).trim());
  }

  const app = await registerClient(url, { domain: 'https://app.example.com/callback' });
  keep('client secret', app.clientSecret);
  const jwt = await userJwt();
  keep('user JWT', jwt);

  const code = await obtainCode(url, app, { scope: 'account:read balance:read', state: 'st' }, jwt);
  keep('code', code);
  const tokens = await exchangeCode(url, app, code);
  keep('access token', tokens.access_token);
  keep('refresh token', tokens.refresh_token);
  assert.equal((await getWithBearer(url, '/demo/me', tokens.access_token)).status, 200);
  assert.equal((await getWithBearer(url, '/oauth/token/introspect', tokens.access_token)).status, 200);

  const rotatedRes = await postForm(url, '/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }, { authorization: basic(app.clientId, app.clientSecret) });
  const rotated = (await rotatedRes.json()) as Tokens;
  keep('rotated access token', rotated.access_token);
  keep('rotated refresh token', rotated.refresh_token);
  await postForm(url, '/oauth/introspect', { token: rotated.access_token }, { authorization: basic(app.clientId, app.clientSecret) });
  // Failures log warnings: code reuse and refresh reuse revoke families.
  assert.equal((await postForm(url, '/oauth/token', { grant_type: 'authorization_code', code, redirect_uri: app.redirectUris[0] }, { authorization: basic(app.clientId, app.clientSecret) })).status, 400);
  assert.equal((await postForm(url, '/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }, { authorization: basic(app.clientId, app.clientSecret) })).status, 400);
  assert.equal((await postForm(url, '/oauth/token', { grant_type: 'client_credentials' }, { authorization: basic(app.clientId, 'wrong-secret-value') })).status, 401);
  assert.equal((await getWithBearer(url, '/demo/me', rotated.access_token)).status, 401);

  const spa = await registerClient(url, { domain: 'http://127.0.0.1:7777/cb', public: true });
  const spaCode = await obtainCode(url, spa, { code_challenge: RFC7636_CHALLENGE, code_challenge_method: 'S256' }, jwt);
  keep('public client code', spaCode);
  const spaTokens = (await (
    await postForm(url, '/oauth/token', { grant_type: 'authorization_code', code: spaCode, client_id: spa.clientId, redirect_uri: spa.redirectUris[0], code_verifier: RFC7636_VERIFIER })
  ).json()) as Tokens;
  keep('PKCE verifier', RFC7636_VERIFIER);
  keep('public access token', spaTokens.access_token);
  await postForm(url, '/oauth/revoke', { token: spaTokens.refresh_token!, client_id: spa.clientId });

  const cc = (await (await postForm(url, '/oauth/token', { grant_type: 'client_credentials' }, { authorization: basic(app.clientId, app.clientSecret) })).json()) as Tokens;
  keep('client_credentials token', cc.access_token);
  const rotation = (await (await fetch(`${url}/admin/clients/${app.clientId}/secret`, { method: 'POST', headers: adminHeaders })).json()) as { clientSecret: string };
  keep('rotated client secret', rotation.clientSecret);
  await authorize(url, { client_id: app.clientId, response_type: 'code', redirect_uri: app.redirectUris[0], scope: 'balance:read' }, { jwt: jwt.slice(0, -3) + 'abc' });
  await fetch(`${url}/clients`, { headers: { authorization: `Bearer ${jwt}` } });
  await fetch(`${url}/clients/${app.clientId}`, { method: 'DELETE', headers: { authorization: `Bearer ${jwt}` } });

  await satgate.close();
  const log = fs.readFileSync(logFile, 'utf8');
  assert.match(log, /"path":"\/oauth\/token"/, 'the log holds the request lines of the run');
  assert.match(log, /authorization code reused/, 'and the debug/warn events of the flows');
  for (const [label, value] of secrets) {
    assert.ok(!log.includes(value), `the log contains the ${label}`);
  }
});
