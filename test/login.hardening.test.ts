/**
 * Review findings on the browser flow, each with the behaviour a user (or an attacker) would see: form values
 * never reach a header raw, revocation takes pending codes with it, public clients always ask, parallel
 * guesses are throttled like sequential ones, and the pages follow the injected clock.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { startTestApp } from './support/app';
import { query, resetDatabase } from './support/database';
import { adminPost, approveAgain, createAccount, csrfOf, errorOf, FormClient, signInAndApprove, signInAtLogin } from './login.helpers';
import { advanceClock, basic, postForm, registerClient, RFC7636_CHALLENGE, RFC7636_VERIFIER, type RegisteredClient } from './oauth.helpers';

let satgate: RunningSatgate;
let url: string;
let app: RegisteredClient;
let spa: RegisteredClient;
const REDIRECT = 'https://app.example.com/callback';
const SPA_REDIRECT = 'https://spa.example.com/callback';

before(async () => {
  await resetDatabase();
  satgate = await startTestApp();
  url = satgate.url;
  app = await registerClient(url, { name: 'Example App', domain: REDIRECT });
  spa = await registerClient(url, { name: 'Single Page App', domain: SPA_REDIRECT, public: true });
});
after(() => satgate?.close());

function authorizeQuery(extra: Record<string, string> = {}): string {
  return new URLSearchParams({ client_id: app.clientId, response_type: 'code', redirect_uri: REDIRECT, scope: 'balance:read', state: 'st-1', ...extra }).toString();
}

function exchange(code: string): Promise<Response> {
  return postForm(url, '/oauth/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, { authorization: basic(app.clientId, app.clientSecret) });
}

function codeOf(location: string): string {
  const code = new URL(location).searchParams.get('code');
  assert.ok(code, `a code in ${location}`);
  return code;
}

test('a raw `request` form field never reaches the Location header: CR/LF and non-ASCII are re-encoded, never a 500', async () => {
  const browser = new FormClient(url);
  const csrf = csrfOf(await (await browser.get('/login')).text());
  const logout = await browser.post('/login/logout', { csrf, request: 'a\r\nb' });
  assert.equal(logout.status, 303);
  assert.equal(logout.headers.get('location'), '/login/authorize?a%0D%0Ab=');
  const oversized = await browser.post('/login/logout', { csrf, request: `state=${'y'.repeat(20_000)}` });
  assert.equal(oversized.status, 303);
  assert.equal(oversized.headers.get('location'), '/login', 'an oversized request is not carried back');

  await createAccount(url, 'oscar', 'oscar-password-1');
  const q = `${authorizeQuery()}&note=x\r\nSet-Cookie: evil=1\u20ac`;
  const page = await browser.get(`/login/authorize?${authorizeQuery()}`);
  const signedIn = await browser.post('/login/authorize', { csrf: csrfOf(await page.text()), action: 'sign_in', request: q, username: 'oscar', password: 'oscar-password-1' });
  assert.equal(signedIn.status, 303);
  const location = signedIn.headers.get('location')!;
  assert.equal(location, `/login/authorize?${authorizeQuery()}&note=x%0D%0ASet-Cookie%3A+evil%3D1%E2%82%AC`);
  assert.ok(!signedIn.headers.getSetCookie().some((c) => c.startsWith('evil=')), 'no header was injected');
  const consent = await browser.get(location);
  assert.equal(consent.status, 200, 'the re-encoded request still names the same authorization');
});

test('disabling an account kills the codes it approved that the app has not exchanged yet', async () => {
  const peggy = await createAccount(url, 'peggy', 'peggy-password-1');
  const pending = codeOf(await signInAndApprove(new FormClient(url), authorizeQuery(), 'peggy', 'peggy-password-1'));
  assert.equal((await adminPost(url, `/admin/accounts/${peggy.id}/disable`)).status, 200);
  const res = await exchange(pending);
  assert.equal(res.status, 400);
  assert.equal(((await res.json()) as { error: string }).error, 'invalid_grant');
  assert.deepEqual(await query('SELECT id FROM oauth_grants WHERE user_identifier = $1', ['peggy']), [], 'no grant was ever created');
});

test('the Revoke button also kills a code issued before it, so the app cannot exchange it afterwards', async () => {
  await createAccount(url, 'quentin', 'quentin-password-1');
  const browser = new FormClient(url);
  const first = codeOf(await signInAndApprove(browser, authorizeQuery(), 'quentin', 'quentin-password-1'));
  assert.equal((await exchange(first)).status, 200);
  const again = await browser.get(`/login/authorize?${authorizeQuery()}`);
  assert.equal(again.status, 302, 'a confidential client with a covering grant skips consent');
  const pending = codeOf(again.headers.get('location')!);

  const apps = await browser.get('/login/apps');
  const revoked = await browser.post('/login/apps/revoke', { csrf: csrfOf(await apps.text()), client_id: app.clientId });
  assert.equal(revoked.status, 303);
  const res = await exchange(pending);
  assert.equal(res.status, 400, 'the code issued before the revocation is dead');
  assert.equal(((await res.json()) as { error: string }).error, 'invalid_grant');
});

test('a public client gets the consent page every time, even when an earlier grant covers the scopes', async () => {
  await createAccount(url, 'rupert', 'rupert-password-1');
  const q = new URLSearchParams({
    client_id: spa.clientId,
    response_type: 'code',
    redirect_uri: SPA_REDIRECT,
    scope: 'balance:read',
    state: 'spa-1',
    code_challenge: RFC7636_CHALLENGE,
    code_challenge_method: 'S256',
  }).toString();
  const browser = new FormClient(url);
  const code = codeOf(await signInAndApprove(browser, q, 'rupert', 'rupert-password-1'));
  const tokens = await postForm(url, '/oauth/token', { grant_type: 'authorization_code', code, redirect_uri: SPA_REDIRECT, client_id: spa.clientId, code_verifier: RFC7636_VERIFIER });
  assert.equal(tokens.status, 200, 'the grant exists');

  const second = await browser.get(`/login/authorize?${q}`);
  assert.equal(second.status, 200, 'no silent redirect with a code');
  assert.equal(second.headers.get('location'), null);
  assert.match(await second.text(), /Single Page App<\/a>|Single Page App wants to access your account/);
  assert.ok(codeOf(await approveAgain(browser, q)), 'approving still works');
});

test('40 parallel wrong guesses for one account: only the limit (5) is checked, the rest are 429; the right password is locked out too', async () => {
  await createAccount(url, 'sybil', 'sybil-password-1');
  const throttled = await startTestApp({ TRUST_PROXY: '127.0.0.1' });
  try {
    const browser = new FormClient(throttled.url);
    const csrf = csrfOf(await (await browser.get('/login')).text());
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const guess = (i: number, password: string) =>
      fetch(`${throttled.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        // A different address per guess: the per-IP limit must not be what stops them.
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `198.18.0.${i + 1}` },
        body: new URLSearchParams({ csrf, action: 'sign_in', username: 'sybil', password }).toString(),
      });
    const results = await Promise.all(Array.from({ length: 40 }, async (_, i) => {
      const res = await guess(i, `wrong-guess-${i}`);
      return { status: res.status, error: errorOf(await res.text()) };
    }));
    const checked = results.filter((r) => r.status === 422);
    const refused = results.filter((r) => r.status === 429);
    assert.equal(checked.length, 5, 'exactly the limit reached the password check');
    assert.equal(refused.length, 35);
    assert.ok(checked.every((r) => r.error === 'Wrong username or password.'));
    assert.ok(refused.every((r) => r.error === 'Too many failed sign-ins. Try again in 15 minutes.'));
    assert.equal((await guess(100, 'sybil-password-1')).status, 429, 'the right password waits for the window too');

    // Successful sign-ins do not use up the per-IP allowance (each success takes its attempt back).
    await query("DELETE FROM login_throttle WHERE key = 'account:sybil'");
    for (let i = 1; i <= 21; i++) {
      const household = new FormClient(throttled.url, { 'x-forwarded-for': '198.18.1.1' }); // one browser after another, one address
      assert.equal((await signInAtLogin(household, 'sybil', 'sybil-password-1')).status, 303, `sign-in ${i}`);
    }
  } finally {
    await throttled.close();
    await query('DELETE FROM login_throttle');
  }
});

test('the login pages follow the injected OAuth clock: a session ends 12 hours later by that clock', async () => {
  await createAccount(url, 'trent', 'trent-password-1');
  const browser = new FormClient(url);
  assert.equal((await signInAtLogin(browser, 'trent', 'trent-password-1')).status, 303);
  assert.equal((await browser.get('/login/apps')).status, 200);
  const restore = advanceClock(satgate, 12 * 3600 + 1);
  try {
    const expired = await browser.get('/login/apps');
    assert.equal(expired.status, 302, 'the session expired by the OAuth clock');
    assert.equal(expired.headers.get('location'), '/login');
  } finally {
    restore();
  }
});
