/**
 * No OAuth error (nor a framework refusal) repeats what the request sent: descriptions name the parameter at
 * fault, never its value, so a request cannot put its own markup or text into satgate's answer.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { adminHeaders, startTestApp } from './support/app';
import { resetDatabase } from './support/database';
import { authorize, basic, exchangeCode, obtainCode, postForm, redirectParams, registerClient, type RegisteredClient, userJwt } from './oauth.helpers';

let satgate: RunningSatgate;
let url: string;
let app: RegisteredClient;
const MARK = '<script>alert(1)</script>';
/** Every spelling of the marker an answer could carry it in. */
const SPELLINGS = [MARK, '<script', encodeURIComponent('<script'), 'alert(1)', 'alert%281%29'];

before(async () => {
  await resetDatabase();
  satgate = await startTestApp();
  url = satgate.url;
  app = await registerClient(url, { domain: 'https://app.example.com/callback', scopes: ['balance:read', 'invoices:read'] });
});
after(() => satgate?.close());

function assertNotReflected(text: string, where: string): void {
  for (const s of SPELLINGS) assert.ok(!text.toLowerCase().includes(s.toLowerCase()), `${where} reflects the input: ${text}`);
}

test('authorize: an unknown, a malformed and a not-allowed scope are described without their value', async () => {
  const jwt = await userJwt();
  const base = { client_id: app.clientId, response_type: 'code', redirect_uri: app.redirectUris[0], state: 's' };
  const cases: Array<[string, string]> = [
    [`balance:read ${MARK.replace(/ /g, '')}`, 'scope names 1 scope this server does not offer'],
    [`balance:read "${MARK}"`, 'scope holds a token outside the RFC 6749 §3.3 scope-token grammar'],
    ['balance:read payments:send', 'scope asks for 1 scope beyond what is allowed for this client'],
  ];
  for (const [scope, description] of cases) {
    const res = await authorize(url, { ...base, scope }, { jwt });
    const params = redirectParams(res);
    assert.equal(params.get('error'), 'invalid_scope', scope);
    assert.equal(params.get('error_description'), description, scope);
    assertNotReflected(res.headers.get('location')!, `Location for ${scope}`);
  }
});

test('token endpoint: refresh and client_credentials scope errors do not echo the scope', async () => {
  const tokens = await exchangeCode(url, app, await obtainCode(url, app));
  const auth = { authorization: basic(app.clientId, app.clientSecret) };
  const forms: Array<Record<string, string>> = [
    { grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, scope: MARK.replace(/ /g, '') },
    { grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, scope: `"${MARK}"` },
    { grant_type: 'client_credentials', scope: MARK.replace(/ /g, '') },
  ];
  for (const form of forms) {
    const res = await postForm(url, '/oauth/token', form, auth);
    assert.equal(res.status, 400, form.scope);
    const text = await res.text();
    assert.equal((JSON.parse(text) as { error: string }).error, 'invalid_scope', text);
    assertNotReflected(text, `/oauth/token with scope ${form.scope}`);
  }
});

test('framework refusals (bad JSON, unknown path) describe the fault, not the input', async () => {
  const json = await fetch(`${url}/admin/clients`, { method: 'POST', headers: { ...adminHeaders, 'content-type': 'application/json' }, body: `{${MARK}` });
  assert.equal(json.status, 400);
  const jsonText = await json.text();
  assert.equal((JSON.parse(jsonText) as { error: string }).error, 'invalid_request');
  assertNotReflected(jsonText, 'a bad JSON body');

  const unknown = await fetch(`${url}/p/%3Cscript%3Ealert(1)`);
  assert.equal(unknown.status, 404);
  const text = await unknown.text();
  assertNotReflected(text, 'a 404');
  assert.deepEqual(JSON.parse(text), { error: 'not_found', error_description: 'no route for GET on this path' });

  const refused = await fetch(`${url}/p/%3Cscript%3E%2Falert(1)`);
  assert.equal(refused.status, 400, 'an encoded slash is refused');
  assertNotReflected(await refused.text(), 'a refused path');
});
