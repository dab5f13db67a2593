import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { BannerService } from '../src/common/banner.service';
import { demoPassword } from '../src/accounts/demo-account.seeder';
import { adminHeaders, startTestApp, TEST_ADMIN_TOKEN } from './support/app';
import { query, resetDatabase } from './support/database';
import { adminPost, createAccount, errorOf, FormClient, signInAndApprove, signInAtLogin } from './login.helpers';
import { advanceClock, basic, postForm, registerClient } from './oauth.helpers';

let satgate: RunningSatgate;
let url: string;
before(async () => {
  await resetDatabase();
  satgate = await startTestApp();
  url = satgate.url;
});
after(() => satgate?.close());

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

test('the accounts admin API is 401 without the admin token', async () => {
  for (const [method, path] of [['GET', '/admin/accounts'], ['POST', '/admin/accounts'], ['POST', '/admin/accounts/x/disable'], ['POST', '/admin/accounts/x/password']]) {
    const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
    assert.equal(res.status, 401, `${method} ${path}`);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="satgate-admin"');
  }
  const wrong = await fetch(`${url}/admin/accounts`, { headers: { authorization: 'Bearer nope-nope-nope' } });
  assert.equal(wrong.status, 401);
});

test('POST /admin/accounts: 201 with the account; the password is stored only as a scrypt hash', async () => {
  const res = await adminPost(url, '/admin/accounts', { username: '  Alice ', password: 'alice-password-1' });
  assert.equal(res.status, 201);
  const body = (await res.json()) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), ['createdAt', 'disabled', 'disabledAt', 'id', 'passwordChangedAt', 'userId', 'username']);
  assert.match(String(body.id), /^[0-9a-f-]{36}$/);
  assert.equal(body.userId, `local:${body.id}`);
  assert.equal(body.username, 'alice', 'trimmed and lowercased');
  assert.equal(body.disabled, false);
  assert.equal(body.disabledAt, null);
  assert.match(String(body.createdAt), ISO);
  const [row] = await query<{ password_hash: string }>('SELECT password_hash FROM local_accounts WHERE id = $1', [body.id]);
  assert.match(row.password_hash, /^\$scrypt\$ln=15,r=8,p=1\$/);
  assert.ok(!row.password_hash.includes('alice-password-1'));
});

test('POST /admin/accounts without a password generates one and returns it once', async () => {
  const created = await createAccount(url, 'bob');
  assert.match(created.password ?? '', /^[A-Za-z0-9_-]{20}$/);
  const list = (await (await fetch(`${url}/admin/accounts`, { headers: adminHeaders })).json()) as Array<Record<string, unknown>>;
  const bob = list.find((a) => a.username === 'bob')!;
  assert.equal(bob.password, undefined, 'never shown again');
  assert.equal((await signInAtLogin(new FormClient(url), 'bob', created.password!)).status, 303);
});

test('bad input is a 400 naming the field; a taken username is 409', async () => {
  const cases: Array<[unknown, string]> = [
    [{ username: 'x', password: 'long-enough-1' }, 'username'],
    [{ username: 'has space', password: 'long-enough-1' }, 'username'],
    [{ username: 'carol', password: 'short' }, 'password'],
    [{ username: 'carol', password: 'x'.repeat(257) }, 'password'],
    [{ password: 'long-enough-1' }, 'username'],
    [{ username: 'carol', admin: true }, 'admin'],
  ];
  for (const [body, field] of cases) {
    const res = await adminPost(url, '/admin/accounts', body);
    assert.equal(res.status, 400, JSON.stringify(body));
    const err = (await res.json()) as Record<string, unknown>;
    assert.equal(err.error, 'invalid_request');
    assert.equal(err.field, field, JSON.stringify(body));
  }
  const clash = await adminPost(url, '/admin/accounts', { username: 'ALICE', password: 'another-password' });
  assert.equal(clash.status, 409);
  assert.deepEqual(await clash.json(), { error: 'conflict', error_description: 'username alice is already taken', field: 'username' });
});

test('GET /admin/accounts lists accounts oldest first; an unknown id is 404', async () => {
  const res = await fetch(`${url}/admin/accounts`, { headers: adminHeaders });
  assert.equal(res.status, 200);
  const list = (await res.json()) as Array<{ id: string; username: string }>;
  assert.deepEqual(list.map((a) => a.username).slice(0, 2), ['alice', 'bob']);
  const one = await fetch(`${url}/admin/accounts/${list[0].id}`, { headers: adminHeaders });
  assert.equal(((await one.json()) as { username: string }).username, 'alice');
  for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
    const missing = await fetch(`${url}/admin/accounts/${id}`, { headers: adminHeaders });
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: string }).error, 'not_found');
  }
});

test('a disabled account cannot sign in and its open sessions end; enabling lets it back in', async () => {
  const dave = await createAccount(url, 'dave', 'dave-password-1');
  const browser = new FormClient(url);
  assert.equal((await signInAtLogin(browser, 'dave', 'dave-password-1')).status, 303);
  assert.equal((await browser.get('/login/apps')).status, 200);

  const disabled = await adminPost(url, `/admin/accounts/${dave.id}/disable`);
  assert.equal(disabled.status, 200);
  const view = (await disabled.json()) as { disabled: boolean; disabledAt: string };
  assert.equal(view.disabled, true);
  assert.match(view.disabledAt, ISO);

  const after = await browser.get('/login/apps');
  assert.equal(after.status, 302, 'the session no longer works');
  assert.equal(after.headers.get('location'), '/login');

  const refused = await signInAtLogin(new FormClient(url), 'dave', 'dave-password-1');
  assert.equal(refused.status, 422);
  const refusedHtml = await refused.text();
  assert.equal(errorOf(refusedHtml), 'Wrong username or password.', 'the right password of a disabled account is not confirmed');
  assert.ok(!/disabled/i.test(refusedHtml), 'the page does not mention the account state');
  const wrongPw = await signInAtLogin(new FormClient(url), 'dave', 'not-daves-password');
  assert.equal(wrongPw.status, 422);
  assert.equal(errorOf(await wrongPw.text()), 'Wrong username or password.', 'a guesser learns nothing about the account state');

  assert.equal((await adminPost(url, `/admin/accounts/${dave.id}/enable`)).status, 200);
  assert.equal((await signInAtLogin(new FormClient(url), 'dave', 'dave-password-1')).status, 303);
});

test('resetting a password: the old one stops working, the new one works, sessions end', async () => {
  const erin = await createAccount(url, 'erin', 'erin-password-1');
  const browser = new FormClient(url);
  await signInAtLogin(browser, 'erin', 'erin-password-1');
  const chosen = await adminPost(url, `/admin/accounts/${erin.id}/password`, { password: 'erin-password-2' });
  assert.equal(chosen.status, 200);
  assert.equal(((await chosen.json()) as { password?: string }).password, undefined);
  assert.equal((await browser.get('/login/apps')).status, 302);
  assert.equal((await signInAtLogin(new FormClient(url), 'erin', 'erin-password-1')).status, 422);
  assert.equal((await signInAtLogin(new FormClient(url), 'erin', 'erin-password-2')).status, 303);

  const generated = await adminPost(url, `/admin/accounts/${erin.id}/password`);
  assert.equal(generated.status, 200);
  const pw = ((await generated.json()) as { password: string }).password;
  assert.match(pw, /^[A-Za-z0-9_-]{20}$/);
  assert.equal((await signInAtLogin(new FormClient(url), 'erin', pw)).status, 303);

  const short = await adminPost(url, `/admin/accounts/${erin.id}/password`, { password: 'short' });
  assert.equal(short.status, 400);
  assert.equal(((await short.json()) as { field: string }).field, 'password');
});

test('a disabled local account gets no tokens at code exchange or refresh, even if its grants were not revoked yet', async () => {
  const REDIRECT = 'https://accounts-app.example.com/cb';
  const client = await registerClient(url, { name: 'Accounts App', domain: REDIRECT });
  const walter = await createAccount(url, 'walter', 'walter-password-1');
  const q = new URLSearchParams({ client_id: client.clientId, response_type: 'code', redirect_uri: REDIRECT, scope: 'balance:read' }).toString();
  const auth = { authorization: basic(client.clientId, client.clientSecret) };
  const browser = new FormClient(url);
  const code = new URL(await signInAndApprove(browser, q, 'walter', 'walter-password-1')).searchParams.get('code')!;
  const first = await postForm(url, '/oauth/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, auth);
  assert.equal(first.status, 200);
  const { refresh_token } = (await first.json()) as { refresh_token: string };
  const again = await browser.get(`/login/authorize?${q}`);
  assert.equal(again.status, 302, 'consent skipped: the grant covers the scope');
  const pending = new URL(again.headers.get('location')!).searchParams.get('code')!;

  // The account is disabled behind the event handlers' back (as if a code exchange raced the disable).
  await query('UPDATE local_accounts SET disabled_at = now() WHERE id = $1', [walter.id]);
  const exchanged = await postForm(url, '/oauth/token', { grant_type: 'authorization_code', code: pending, redirect_uri: REDIRECT }, auth);
  assert.equal(exchanged.status, 400);
  assert.deepEqual(await exchanged.json(), { error: 'invalid_grant', error_description: 'the account that authorized this code is disabled' });
  const refreshed = await postForm(url, '/oauth/token', { grant_type: 'refresh_token', refresh_token }, auth);
  assert.equal(refreshed.status, 400);
  assert.deepEqual(await refreshed.json(), { error: 'invalid_grant', error_description: 'the account that authorized this refresh token is disabled' });
  const grants = await query<{ revoked_reason: string | null }>('SELECT revoked_reason FROM oauth_grants WHERE user_id = $1', [`local:${walter.id}`]);
  assert.deepEqual(grants, [{ revoked_reason: 'account_disabled' }], 'the grant that slipped past is revoked now');

  await query('UPDATE local_accounts SET disabled_at = NULL WHERE id = $1', [walter.id]);
});

test('account times come from the injected OAuth clock', async () => {
  const victor = await createAccount(url, 'victor', 'victor-password-1');
  const tenDays = 10 * 24 * 3600;
  const restore = advanceClock(satgate, tenDays);
  try {
    const disabled = (await (await adminPost(url, `/admin/accounts/${victor.id}/disable`)).json()) as { disabledAt: string };
    const reset = (await (await adminPost(url, `/admin/accounts/${victor.id}/password`, { password: 'victor-password-2' })).json()) as { passwordChangedAt: string };
    const expected = Date.now() + tenDays * 1000;
    for (const at of [disabled.disabledAt, reset.passwordChangedAt]) {
      assert.ok(Math.abs(Date.parse(at) - expected) < 60_000, `${at} is ten days ahead, by the OAuth clock`);
    }
    const created = await createAccount(url, 'wendy', 'wendy-password-1');
    const [row] = await query<{ password_changed_at: Date }>('SELECT password_changed_at FROM local_accounts WHERE id = $1', [created.id]);
    assert.ok(Math.abs(row.password_changed_at.getTime() - expected) < 60_000);
  } finally {
    restore();
  }
});

test('demo mode seeds `demo` with a password that survives restarts and is shown in the banner', async () => {
  const demo = await startTestApp({ DEMO: 'true' });
  let expected: string;
  try {
    expected = demoPassword(TEST_ADMIN_TOKEN);
    const sections = await demo.app.get(BannerService).render();
    const section = sections.find((s) => s.title === 'Browser sign-in (local account)');
    assert.ok(section, 'the banner has the sign-in section');
    assert.equal(section.lines[0], 'username demo');
    assert.equal(section.lines[1], `password ${expected}`);
    assert.equal((await signInAtLogin(new FormClient(demo.url), 'demo', expected)).status, 303);
  } finally {
    await demo.close();
  }
  const again = await startTestApp({ DEMO: 'true' });
  try {
    const rows = await query<{ n: string }>("SELECT count(*) AS n FROM local_accounts WHERE username = 'demo'");
    assert.equal(Number(rows[0].n), 1);
    assert.equal((await signInAtLogin(new FormClient(again.url), 'demo', expected)).status, 303, 'same password after a restart');
  } finally {
    await again.close();
  }
});
