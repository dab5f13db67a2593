/**
 * Budgets through the OAuth server: asked for at /oauth/authorize (Alby Hub's parameters and RFC 9396
 * authorization_details), advertised in the metadata, lowered on the consent page, stored on the grant, kept
 * by refresh, shown by both introspections and GET /clients, changed by the user and the operator, and
 * `expires_at` ending the grant.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { adminHeaders, startTestApp } from './support/app';
import { query, resetDatabase } from './support/database';
import { createAccount, csrfOf, errorOf, FormClient } from './login.helpers';
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
  type RegisteredClient,
  userJwt,
} from './oauth.helpers';

let satgate: RunningSatgate;
let client: RegisteredClient;
const SEND = 'payments:send balance:read';

before(async () => {
  await resetDatabase();
  satgate = await startTestApp();
  client = await registerClient(satgate.url, { domain: 'https://app.example.com/cb', public: false, scopes: ['payments:send', 'balance:read'] });
});
after(() => satgate?.close());

async function budgetRow(accessToken: string): Promise<{ max_amount_sat: string | null; renewal: string } | undefined> {
  const rows = await query<{ max_amount_sat: string | null; renewal: string }>(
    `SELECT b.max_amount_sat, b.renewal FROM payment_budgets b JOIN oauth_tokens t ON t.grant_id = b.grant_id
      WHERE t.token_hash = encode(sha256($1::bytea), 'hex')`,
    [accessToken],
  );
  return rows[0];
}

function introspect(token: string): Promise<Response> {
  return postForm(satgate.url, '/oauth/introspect', { token }, { authorization: basic(client.clientId, client.clientSecret) });
}

test('the metadata advertises the payment_budget authorization details type (RFC 9396 §10)', async () => {
  const meta = (await (await fetch(`${satgate.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
  assert.deepEqual(meta.authorization_details_types_supported, ['payment_budget']);
});

test("Alby Hub's max_amount + budget_renewal become the grant's budget; both introspections show it with its usage", async () => {
  const code = await obtainCode(satgate.url, client, { scope: SEND, max_amount: '1000', budget_renewal: 'monthly' });
  const tokens = await exchangeCode(satgate.url, client, code);
  assert.deepEqual(await budgetRow(tokens.access_token), { max_amount_sat: '1000', renewal: 'monthly' });

  const rfc = (await (await introspect(tokens.access_token)).json()) as Record<string, unknown>;
  assert.equal(rfc.active, true);
  assert.deepEqual(rfc.authorization_details, [{ type: 'payment_budget', max_amount_sat: 1000, budget_renewal: 'monthly' }]);
  const budget = rfc.budget as Record<string, unknown>;
  assert.deepEqual([budget.max_amount_sat, budget.used_sat, budget.remaining_sat, budget.budget_renewal, budget.warning], [1000, 0, 1000, 'monthly', false]);
  const now = new Date();
  assert.equal(budget.renews_at, new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString());

  const alby = await getWithBearer(satgate.url, '/oauth/token/introspect', tokens.access_token);
  assert.equal(alby.status, 200);
  assert.deepEqual(((await alby.json()) as { budget: unknown }).budget, budget);

  // Refresh keeps the budget: it lives on the grant, which a refresh cannot change.
  const refreshed = await postForm(satgate.url, '/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }, { authorization: basic(client.clientId, client.clientSecret) });
  assert.equal(refreshed.status, 200);
  const next = (await refreshed.json()) as { access_token: string };
  assert.deepEqual(await budgetRow(next.access_token), { max_amount_sat: '1000', renewal: 'monthly' });
});

test('RFC 9396 authorization_details asks for a budget too', async () => {
  const details = JSON.stringify([{ type: 'payment_budget', max_amount_sat: 2100, budget_renewal: 'weekly' }]);
  const tokens = await exchangeCode(satgate.url, client, await obtainCode(satgate.url, client, { scope: SEND, authorization_details: details }));
  assert.deepEqual(await budgetRow(tokens.access_token), { max_amount_sat: '2100', renewal: 'weekly' });
});

test("payments:send without a budget gets the operator's default (10,000 sats a month); other scopes get none", async () => {
  const tokens = await exchangeCode(satgate.url, client, await obtainCode(satgate.url, client, { scope: SEND }));
  assert.deepEqual(await budgetRow(tokens.access_token), { max_amount_sat: '10000', renewal: 'monthly' });
  const plain = await exchangeCode(satgate.url, client, await obtainCode(satgate.url, client, { scope: 'balance:read', max_amount: '5' }));
  assert.equal(await budgetRow(plain.access_token), undefined);
  const rfc = (await (await introspect(plain.access_token)).json()) as Record<string, unknown>;
  assert.equal(rfc.budget, undefined);
  assert.equal(rfc.authorization_details, undefined);
});

test('bad budget requests go back to the app as RFC 6749 / RFC 9396 errors', async () => {
  const jwt = await userJwt();
  const cases: [Record<string, string>, string, string][] = [
    [{ max_amount: 'lots' }, 'invalid_request', 'max_amount must be a whole number of sats from 0 to 2100000000000000'],
    [{ max_amount: '0' }, 'invalid_request', 'this server does not grant payments:send without a budget (max_amount=0)'],
    [{ budget_renewal: 'monthly' }, 'invalid_request', 'budget_renewal needs max_amount'],
    [{ max_amount: '10', budget_renewal: 'hourly' }, 'invalid_request', 'budget_renewal must be one of daily, weekly, monthly, yearly, never'],
    [{ authorization_details: '[{"type":"payment_initiation"}]' }, 'invalid_authorization_details', 'unsupported authorization_details type "payment_initiation"; supported: payment_budget'],
    [{ expires_at: '1000' }, 'invalid_request', 'expires_at must be in the future'],
  ];
  for (const [params, error, description] of cases) {
    const res = await authorize(satgate.url, { client_id: client.clientId, response_type: 'code', redirect_uri: client.redirectUris[0], scope: SEND, state: 's', ...params }, { jwt });
    const p = redirectParams(res);
    assert.deepEqual([p.get('error'), p.get('error_description'), p.get('state'), p.get('code')], [error, description, 's', null], JSON.stringify(params));
  }
});

test('expires_at ends the grant: tokens never outlive it and a refresh after it is refused', async () => {
  const endsAt = Math.floor(Date.now() / 1000) + 600;
  const tokens = await exchangeCode(satgate.url, client, await obtainCode(satgate.url, client, { scope: SEND, expires_at: String(endsAt) }));
  assert.ok(tokens.expires_in <= 600 && tokens.expires_in >= 590, `expires_in ${tokens.expires_in}`);
  const rows = await query<{ ends_at: Date; max_exp: Date }>(
    `SELECT g.ends_at, max(t.expires_at) AS max_exp FROM oauth_grants g JOIN oauth_tokens t ON t.grant_id = g.id
      WHERE g.id = (SELECT grant_id FROM oauth_tokens WHERE token_hash = encode(sha256($1::bytea), 'hex')) GROUP BY g.ends_at`,
    [tokens.access_token],
  );
  assert.equal(rows[0].ends_at.getTime(), endsAt * 1000);
  assert.ok(rows[0].max_exp.getTime() <= endsAt * 1000);
  const restore = advanceClock(satgate, 601);
  try {
    assert.equal((await getWithBearer(satgate.url, '/oauth/token/introspect', tokens.access_token)).status, 401);
    const refreshed = await postForm(satgate.url, '/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }, { authorization: basic(client.clientId, client.clientSecret) });
    assert.equal(refreshed.status, 400);
    assert.equal(((await refreshed.json()) as { error: string }).error, 'invalid_grant');
  } finally {
    restore();
  }
});

test('the consent page shows the budget in words; the user lowers it, cannot raise it', async () => {
  const account = await createAccount(satgate.url, 'budget-user', 'correct horse battery');
  const browser = new FormClient(satgate.url);
  const q = new URLSearchParams({ client_id: client.clientId, response_type: 'code', redirect_uri: client.redirectUris[0], scope: SEND, state: 'x', max_amount: '5000', budget_renewal: 'weekly' }).toString();
  const signIn = await browser.get(`/login/authorize?${q}`);
  await browser.post('/login/authorize', { csrf: csrfOf(await signIn.text()), action: 'sign_in', request: q, username: account.username, password: 'correct horse battery' });
  const consent = await browser.get(`/login/authorize?${q}`);
  assert.equal(consent.status, 200);
  const html = await consent.text();
  assert.match(html, /<span data-budget-words>up to 5,000 sats per week, renews Monday \d{1,2} \w+<\/span>/);
  assert.match(html, /<input type="number" id="budget_max_sat" name="budget_max_sat" inputmode="numeric" min="1" max="5000" step="1" value="5000">/);

  const raised = await browser.post('/login/authorize', { csrf: csrfOf(html), action: 'approve', request: q, budget_max_sat: '5001' });
  assert.equal(raised.status, 400);
  const raisedHtml = await raised.text();
  assert.equal(errorOf(raisedHtml), 'The app asked for at most 5000 sats; you can lower that, not raise it.');
  assert.match(raisedHtml, /value="5001"/);

  const lowered = await browser.post('/login/authorize', { csrf: csrfOf(raisedHtml), action: 'approve', request: q, budget_max_sat: '1200' });
  assert.equal(lowered.status, 303);
  const code = new URL(lowered.headers.get('location')!).searchParams.get('code')!;
  const tokens = await exchangeCode(satgate.url, client, code);
  assert.deepEqual(await budgetRow(tokens.access_token), { max_amount_sat: '1200', renewal: 'weekly' });

  // A second request from the same confidential app is shown again: a budget is never approved silently.
  const again = await browser.get(`/login/authorize?${q}`);
  assert.equal(again.status, 200);

  // The connected-apps page shows it and lets the user change it.
  const apps = await browser.get('/login/apps');
  const appsHtml = await apps.text();
  assert.match(appsHtml, /<p data-budget-usage>0 of 1,200 sats used · renews \d{4}-\d{2}-\d{2}<\/p>/);
  const changed = await browser.post('/login/apps/budget', { csrf: csrfOf(appsHtml), client_id: client.clientId, budget_max_sat: '800' });
  assert.deepEqual([changed.status, changed.headers.get('location')], [303, '/login/apps?budget=1']);
  assert.deepEqual(await budgetRow(tokens.access_token), { max_amount_sat: '800', renewal: 'weekly' });
  const bad = await browser.post('/login/apps/budget', { csrf: csrfOf(appsHtml), client_id: client.clientId, budget_max_sat: '-3' });
  assert.equal(bad.headers.get('location'), '/login/apps?budget=invalid');
  const forged = await browser.post('/login/apps/budget', { csrf: 'forged', client_id: client.clientId, budget_max_sat: '999999' });
  assert.equal(forged.status, 403);
  assert.deepEqual(await budgetRow(tokens.access_token), { max_amount_sat: '800', renewal: 'weekly' });
});

test('GET /clients shows the budget; PATCH /clients/:id/budget changes it; bad bodies name the field', async () => {
  const jwt = await userJwt(77, 'patch-user');
  const code = await obtainCode(satgate.url, client, { scope: SEND, max_amount: '3000', budget_renewal: 'daily' }, jwt);
  const tokens = await exchangeCode(satgate.url, client, code);
  const list = (await (await fetch(`${satgate.url}/clients`, { headers: { authorization: `Bearer ${jwt}` } })).json()) as Array<{ id: string; budget?: Record<string, unknown> }>;
  const app = list.find((a) => a.id === client.clientId);
  assert.deepEqual([app?.budget?.max_amount_sat, app?.budget?.budget_renewal, app?.budget?.used_sat], [3000, 'daily', 0]);

  const patch = (body: unknown): Promise<Response> =>
    fetch(`${satgate.url}/clients/${client.clientId}/budget`, { method: 'PATCH', headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const ok = await patch({ max_amount_sat: 500, budget_renewal: 'monthly' });
  assert.equal(ok.status, 200);
  assert.deepEqual(await budgetRow(tokens.access_token), { max_amount_sat: '500', renewal: 'monthly' });
  const bad = await patch({ max_amount_sat: 1.5 });
  assert.equal(bad.status, 400);
  assert.deepEqual(await bad.json(), { error: 'invalid_request', error_description: 'max_amount_sat must be a whole number of sats from 1 to 2100000000000000, or null', field: 'max_amount_sat' });
  const unlimited = await patch({ max_amount_sat: null });
  assert.equal(unlimited.status, 400);
  assert.equal(((await unlimited.json()) as { error_description: string }).error_description, 'this server does not allow payments:send without a budget (BUDGET_ALLOW_UNLIMITED)');
  const none = await fetch(`${satgate.url}/clients/nope/budget`, { method: 'PATCH', headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' }, body: '{"max_amount_sat":5}' });
  assert.equal(none.status, 404);
});

test('/admin/grants lists grants with their budgets; an operator changes a budget and revokes a grant', async () => {
  const jwt = await userJwt(88, 'admin-view');
  const tokens = await exchangeCode(satgate.url, client, await obtainCode(satgate.url, client, { scope: SEND, max_amount: '700' }, jwt));
  const grantId = (await query<{ grant_id: string }>(`SELECT grant_id FROM oauth_tokens WHERE token_hash = encode(sha256($1::bytea), 'hex')`, [tokens.access_token]))[0].grant_id;

  assert.equal((await fetch(`${satgate.url}/admin/grants`)).status, 401);
  const page = (await (await fetch(`${satgate.url}/admin/grants?limit=200`, { headers: adminHeaders })).json()) as { items: Array<Record<string, unknown>>; total: number };
  const row = page.items.find((g) => g.id === grantId)!;
  assert.deepEqual([row.client_id, row.user_id, row.username, row.status, row.scopes], [client.clientId, '88', 'admin-view', 'active', ['balance:read', 'payments:send']]);
  assert.deepEqual([(row.budget as Record<string, unknown>).max_amount_sat, (row.budget as Record<string, unknown>).budget_renewal], [700, 'never']);

  const patched = await fetch(`${satgate.url}/admin/grants/${grantId}/budget`, { method: 'PATCH', headers: { ...adminHeaders, 'content-type': 'application/json' }, body: '{"max_amount_sat":50,"budget_renewal":"daily"}' });
  assert.equal(patched.status, 200);
  assert.deepEqual(await budgetRow(tokens.access_token), { max_amount_sat: '50', renewal: 'daily' });
  const shown = (await (await fetch(`${satgate.url}/admin/grants/${grantId}`, { headers: adminHeaders })).json()) as Record<string, unknown>;
  assert.deepEqual(shown.reservations, []);

  const revoked = await fetch(`${satgate.url}/admin/grants/${grantId}`, { method: 'DELETE', headers: adminHeaders });
  assert.equal(revoked.status, 200);
  assert.equal(((await revoked.json()) as { status: string }).status, 'revoked');
  assert.equal((await getWithBearer(satgate.url, '/oauth/token/introspect', tokens.access_token)).status, 401);
  assert.equal((await fetch(`${satgate.url}/admin/grants/not-a-uuid`, { headers: adminHeaders })).status, 400);
  assert.equal((await fetch(`${satgate.url}/admin/grants/00000000-0000-4000-8000-000000000000`, { headers: adminHeaders })).status, 404);
});
