import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { walkRoutes } from '../src/access/route-walk';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { adminHeaders, startTestApp } from './support/app';
import { query, resetDatabase } from './support/database';
import { adminPost, createAccount, csrfOf, errorOf, FormClient, signInAtLogin } from './login.helpers';
import { basic, postForm, registerClient, type RegisteredClient } from './oauth.helpers';

let satgate: RunningSatgate;
let url: string;
let app: RegisteredClient;
const REDIRECT = 'https://app.example.com/callback';

before(async () => {
  await resetDatabase();
  satgate = await startTestApp();
  url = satgate.url;
  app = await registerClient(url, { name: 'Example App', domain: REDIRECT });
  await createAccount(url, 'frank', 'frank-password-1');
});
after(() => satgate?.close());

function authorizeQuery(extra: Record<string, string> = {}): string {
  return new URLSearchParams({ client_id: app.clientId, response_type: 'code', redirect_uri: REDIRECT, scope: 'balance:read', state: 'st-1', ...extra }).toString();
}

/** Signs in on the authorization page and approves; returns the final Location. */
async function signInAndApprove(browser: FormClient, q: string, username: string, password: string): Promise<string> {
  const page = await browser.get(`/login/authorize?${q}`);
  const signedIn = await browser.post('/login/authorize', { csrf: csrfOf(await page.text()), action: 'sign_in', request: q, username, password });
  assert.equal(signedIn.status, 303);
  assert.equal(signedIn.headers.get('location'), `/login/authorize?${q}`);
  const consent = await browser.get(`/login/authorize?${q}`);
  assert.equal(consent.status, 200);
  const approved = await browser.post('/login/authorize', { csrf: csrfOf(await consent.text()), action: 'approve', request: q });
  assert.equal(approved.status, 303);
  return approved.headers.get('location')!;
}

test('login pages set HttpOnly SameSite=Lax cookies scoped to /login, and anti-framing, no-store headers', async () => {
  const browser = new FormClient(url);
  const res = await browser.get('/login');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.equal(res.headers.get('x-frame-options'), 'DENY');
  assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
  assert.match(browser.lastSetCookies[0], /^satgate_csrf=[A-Za-z0-9_-]{43}; Path=\/login; HttpOnly; SameSite=Lax$/);

  await signInAtLogin(browser, 'frank', 'frank-password-1');
  const session = browser.lastSetCookies.find((c) => c.startsWith('satgate_session='))!;
  assert.match(session, /^satgate_session=[A-Za-z0-9_-]{43}; Path=\/login; Max-Age=43200; HttpOnly; SameSite=Lax$/);
  const raw = session.slice('satgate_session='.length, session.indexOf(';'));
  const rows = await query<{ token_hash: string }>('SELECT token_hash FROM login_sessions');
  assert.ok(rows.length >= 1);
  assert.ok(rows.every((r) => r.token_hash !== raw && /^[0-9a-f]{64}$/.test(r.token_hash)), 'only a hash of the session id is stored');
});

test('behind https (PUBLIC_URL) the cookies are Secure and __Secure- prefixed', async () => {
  const secure = await startTestApp({ PUBLIC_URL: 'https://satgate.example' });
  try {
    const browser = new FormClient(secure.url);
    await browser.get('/login');
    assert.match(browser.lastSetCookies[0], /^__Secure-satgate_csrf=[^;]+; Path=\/login; Secure; HttpOnly; SameSite=Lax$/);
    await signInAtLogin(browser, 'frank', 'frank-password-1');
    assert.ok(browser.lastSetCookies.some((c) => /^__Secure-satgate_session=[^;]+; Path=\/login; Max-Age=43200; Secure; HttpOnly; SameSite=Lax$/.test(c)));
  } finally {
    await secure.close();
  }
});

test('a form post without the CSRF token, with a forged one, or without the CSRF cookie is refused with 403', async () => {
  const browser = new FormClient(url);
  const html = await (await browser.get(`/login/authorize?${authorizeQuery()}`)).text();
  const token = csrfOf(html);
  const base = { action: 'sign_in', request: authorizeQuery(), username: 'frank', password: 'frank-password-1' };

  const missing = await browser.post('/login/authorize', base);
  assert.equal(missing.status, 403);
  assert.match(await missing.text(), /Form expired/);
  assert.equal(browser.cookies.has('satgate_session'), false, 'not signed in');

  const forged = await browser.post('/login/authorize', { ...base, csrf: `${token.slice(0, -2)}AA` });
  assert.equal(forged.status, 403);

  const stranger = new FormClient(url); // a cross-site post carries no cookie of ours
  assert.equal((await stranger.post('/login/authorize', { ...base, csrf: token })).status, 403);
  assert.equal((await stranger.post('/login', { ...base, csrf: token })).status, 403);
  assert.equal((await stranger.post('/login/logout', { csrf: token })).status, 403);
  assert.equal((await stranger.post('/login/apps/revoke', { csrf: token, client_id: app.clientId })).status, 403);

  const ok = await browser.post('/login/authorize', { ...base, csrf: token });
  assert.equal(ok.status, 303, 'the genuine token works');
});

test('HTTP sign-in + consent issues a code that /oauth/token exchanges; the grant belongs to local:<id>', async () => {
  const grace = await createAccount(url, 'grace', 'grace-password-1');
  const location = await signInAndApprove(new FormClient(url), authorizeQuery(), 'grace', 'grace-password-1');
  const back = new URL(location);
  assert.equal(`${back.origin}${back.pathname}`, REDIRECT);
  assert.equal(back.searchParams.get('state'), 'st-1');
  const token = await postForm(url, '/oauth/token', { grant_type: 'authorization_code', code: back.searchParams.get('code')!, redirect_uri: REDIRECT }, { authorization: basic(app.clientId, app.clientSecret) });
  assert.equal(token.status, 200);
  assert.equal(((await token.json()) as { scope: string }).scope, 'balance:read');
  const grants = await query<{ user_id: string; user_identifier: string }>('SELECT user_id, user_identifier FROM oauth_grants WHERE client_id = $1 AND user_identifier = $2', [app.clientId, 'grace']);
  assert.deepEqual(grants, [{ user_id: `local:${grace.id}`, user_identifier: 'grace' }]);
});

test('an unknown client or unregistered redirect URI is an error page, never a redirect; a bad scope goes back to the app', async () => {
  const browser = new FormClient(url);
  const unknown = await browser.get(`/login/authorize?${authorizeQuery({ client_id: 'no-such-client' })}`);
  assert.equal(unknown.status, 400);
  assert.equal(unknown.headers.get('location'), null);
  assert.match(await unknown.text(), /unknown client_id/);

  const evil = await browser.get(`/login/authorize?${authorizeQuery({ redirect_uri: 'https://evil.example/cb' })}`);
  assert.equal(evil.status, 400);
  assert.equal(evil.headers.get('location'), null);

  const scope = await browser.get(`/login/authorize?${authorizeQuery({ scope: 'no:such-scope' })}`);
  assert.equal(scope.status, 302);
  const back = new URL(scope.headers.get('location')!);
  assert.equal(back.searchParams.get('error'), 'invalid_scope');
  assert.equal(back.searchParams.get('state'), 'st-1');
});

test('failed sign-ins are throttled per account: after 5 failures even the right password gets 429', async () => {
  await createAccount(url, 'heidi', 'heidi-password-1');
  const browser = new FormClient(url);
  for (let i = 1; i <= 5; i++) {
    const res = await signInAtLogin(browser, 'heidi', `wrong-password-${i}`);
    assert.equal(res.status, 422, `failure ${i}`);
    assert.equal(errorOf(await res.text()), 'Wrong username or password.');
  }
  const locked = await signInAtLogin(browser, 'HEIDI', 'heidi-password-1');
  assert.equal(locked.status, 429);
  assert.equal(locked.headers.get('retry-after'), String(Number(locked.headers.get('retry-after'))));
  assert.ok(Number(locked.headers.get('retry-after')) > 800 && Number(locked.headers.get('retry-after')) <= 900);
  assert.equal(errorOf(await locked.text()), 'Too many failed sign-ins. Try again in 15 minutes.');
  assert.equal(browser.cookies.has('satgate_session'), false);
  // Another account from the same address is unaffected (the per-IP limit is higher).
  assert.equal((await signInAtLogin(browser, 'frank', 'frank-password-1')).status, 303);
});

test('failed sign-ins are throttled per IP across usernames: the 21st attempt is 429', async () => {
  await query('DELETE FROM login_throttle');
  const ip = '203.0.113.7';
  const throttled = await startTestApp({ TRUST_PROXY: '127.0.0.1' });
  try {
    const browser = new FormClient(throttled.url, { 'x-forwarded-for': ip });
    for (let i = 1; i <= 20; i++) assert.equal((await signInAtLogin(browser, `nobody-${i}`, 'wrong-password')).status, 422, `attempt ${i}`);
    const blocked = await signInAtLogin(browser, 'frank', 'frank-password-1');
    assert.equal(blocked.status, 429);
    const elsewhere = new FormClient(throttled.url, { 'x-forwarded-for': '198.51.100.9' });
    assert.equal((await signInAtLogin(elsewhere, 'frank', 'frank-password-1')).status, 303, 'other addresses still sign in');
    const keys = (await query<{ key: string }>('SELECT key FROM login_throttle ORDER BY key')).map((r) => r.key);
    assert.ok(keys.includes(`ip:${ip}`));
    assert.ok(keys.includes('account:nobody-1'), 'unknown usernames are counted like real ones');
  } finally {
    await throttled.close();
  }
});

test('behind one proxy (TRUST_PROXY=1) a client rotating its own X-Forwarded-For entry stays one address', async () => {
  await query('DELETE FROM login_throttle');
  const throttled = await startTestApp({ TRUST_PROXY: '1' });
  try {
    // The proxy appends the address it saw (203.0.113.50) to what the client wrote; only that entry counts.
    const attempt = (i: number, username: string, password: string) =>
      signInAtLogin(new FormClient(throttled.url, { 'x-forwarded-for': `10.${i}.0.1, 198.18.0.${i}, 203.0.113.50` }), username, password);
    for (let i = 1; i <= 20; i++) assert.equal((await attempt(i, `rotating-${i}`, 'wrong-password')).status, 422, `attempt ${i}`);
    assert.equal((await attempt(21, 'frank', 'frank-password-1')).status, 429, 'the 21st attempt from that address is throttled');
    const keys = (await query<{ key: string }>("SELECT key FROM login_throttle WHERE key LIKE 'ip:%'")).map((r) => r.key);
    assert.deepEqual(keys, ['ip:203.0.113.50'], 'one counter: the address the trusted proxy saw');
  } finally {
    await throttled.close();
    await query('DELETE FROM login_throttle');
  }
});

test('disabling an account revokes the tokens of the apps it authorized', async () => {
  const ivan = await createAccount(url, 'ivan', 'ivan-password-1');
  const location = await signInAndApprove(new FormClient(url), authorizeQuery(), 'ivan', 'ivan-password-1');
  const code = new URL(location).searchParams.get('code')!;
  const tokens = (await (await postForm(url, '/oauth/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, { authorization: basic(app.clientId, app.clientSecret) })).json()) as { access_token: string };
  const introspect = async (): Promise<boolean> =>
    ((await (await postForm(url, '/oauth/introspect', { token: tokens.access_token }, { authorization: basic(app.clientId, app.clientSecret) })).json()) as { active: boolean }).active;
  assert.equal(await introspect(), true);
  assert.equal((await adminPost(url, `/admin/accounts/${ivan.id}/disable`)).status, 200);
  assert.equal(await introspect(), false);
});

test('a browser at /oauth/authorize without a user JWT is sent to the sign-in page with the same request', async () => {
  const q = authorizeQuery();
  const res = await fetch(`${url}/oauth/authorize?${q}`, { headers: { accept: 'text/html,application/xhtml+xml' }, redirect: 'manual' });
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), `/login/authorize?${q}`);
  const api = await fetch(`${url}/oauth/authorize?${q}`, { redirect: 'manual' });
  assert.equal(api.status, 401, 'API callers without a JWT still get the Bearer challenge');
});

test('every login route declares its policy (public pages, admin-only account API)', async () => {
  const res = await fetch(`${url}/admin/accounts`, { headers: adminHeaders });
  assert.equal(res.status, 200);
  const routes = walkRoutes(satgate.app).filter((r) => r.path.startsWith('/login') || r.path.startsWith('/admin/accounts'));
  assert.equal(routes.length, 14);
  for (const r of routes) assert.deepEqual(r.policy, { mode: r.path.startsWith('/login') ? 'none' : 'admin' }, `${r.method} ${r.path}`);
});
