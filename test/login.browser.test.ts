/**
 * The browser flow in headless Chromium (Debian `chromium` + playwright-core), with JavaScript disabled to
 * prove the pages need none, at a phone-sized viewport: authorization URL -> sign in -> consent -> the app's
 * redirect URI with a code that /oauth/token exchanges; deny; wrong password; consent skipped the second
 * time; revoke on the connected-apps page. Screenshots of the pages go to $TEST_OUTPUT_DIR/screenshots/.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { startTestApp } from './support/app';
import { requireChromium } from './support/chromium';
import { resetDatabase } from './support/database';
import { createAccount } from './login.helpers';
import { basic, postForm, registerClient, type RegisteredClient } from './oauth.helpers';

/** Where the browser enters the flow: the authorization URL a third-party app sends its user to. */
const ENTRY = '/oauth/authorize';

const SCREENSHOTS = path.resolve(process.env.TEST_OUTPUT_DIR ?? './test-output', 'screenshots');
const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48"><rect width="48" height="48" rx="8" fill="#f7931a"/><text x="24" y="32" font-size="22" text-anchor="middle" fill="#fff" font-family="sans-serif">B</text></svg>';

let satgate: RunningSatgate;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let target: http.Server;
let callback: string;
let app: RegisteredClient;
/** Every request the app's redirect URI (/cb) received. */
const received: URL[] = [];

before(async () => {
  const executablePath = requireChromium();
  await resetDatabase();
  satgate = await startTestApp();
  target = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', callback);
    if (u.pathname === '/logo.svg') {
      res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(LOGO);
      return;
    }
    if (u.pathname !== '/cb') {
      res.writeHead(404).end(); // e.g. the browser's /favicon.ico
      return;
    }
    received.push(u);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>App</title><p>Back at the app.</p>');
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  callback = `${origin}/cb`;
  app = await registerClient(satgate.url, { name: 'Browser Test App', domain: callback, url: 'https://app.example.com', imageUrl: `${origin}/logo.svg` });
  await createAccount(satgate.url, 'judy', 'judy-password-1');
  browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 }, isMobile: true, deviceScaleFactor: 2 });
  page = await context.newPage();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (target ? target.close(() => resolve()) : resolve()));
  await satgate?.close();
});

function authorizeUrl(scope: string, state: string): string {
  const q = new URLSearchParams({ client_id: app.clientId, response_type: 'code', redirect_uri: callback, scope, state });
  return `${satgate.url}${ENTRY}?${q}`;
}

/** True when the page is no wider than the phone screen (nothing to scroll sideways). */
async function fitsPhone(p: Page): Promise<boolean> {
  // The page's own scripts are off; Playwright's evaluation still runs (it is not page script).
  return p.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');
}

async function exchange(code: string): Promise<{ access_token: string; scope: string }> {
  const res = await postForm(satgate.url, '/oauth/token', { grant_type: 'authorization_code', code, redirect_uri: callback }, { authorization: basic(app.clientId, app.clientSecret) });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as { access_token: string; scope: string };
}

let firstToken: string;

test('wrong password: an error on the sign-in page, and no code reaches the app', async () => {
  await page.goto(authorizeUrl('balance:read', 'st-wrong'));
  assert.ok(new URL(page.url()).pathname === '/login/authorize', page.url());
  assert.equal(await page.locator('h1').innerText(), 'Sign in to continue to Browser Test App');
  assert.ok(await fitsPhone(page), 'the sign-in page fits a phone screen');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'sign-in.png'), fullPage: true });

  await page.fill('input[name=username]', 'judy');
  await page.fill('input[name=password]', 'not-judys-password');
  await page.click('button[value=sign_in]');
  assert.equal(await page.locator('[role=alert]').innerText(), 'Wrong username or password.');
  assert.equal(await page.inputValue('input[name=username]'), 'judy', 'the username is kept');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'sign-in-error.png'), fullPage: true });
  assert.equal(received.length, 0);
});

test('sign in, see the consent page, approve: the app gets a code that /oauth/token exchanges', async () => {
  await page.fill('input[name=password]', 'judy-password-1');
  await page.click('button[value=sign_in]');
  assert.equal(await page.locator('h1').innerText(), 'Browser Test App wants to access your account');
  assert.equal(await page.locator('ul.scopes li').innerText(), 'Read your balance balance:read');
  assert.equal(await page.locator('.app img').getAttribute('src'), app.redirectUris[0].replace('/cb', '/logo.svg'));
  assert.ok(await fitsPhone(page), 'the consent page fits a phone screen');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'consent.png'), fullPage: true });

  await page.click('button[value=approve]');
  await page.waitForURL((u) => u.href.startsWith(callback));
  const back = received.at(-1)!;
  assert.equal(back.searchParams.get('state'), 'st-wrong');
  const tokens = await exchange(back.searchParams.get('code')!);
  assert.equal(tokens.scope, 'balance:read');
  firstToken = tokens.access_token;
  assert.ok(fs.statSync(path.join(SCREENSHOTS, 'sign-in.png')).size > 1000);
  assert.ok(fs.statSync(path.join(SCREENSHOTS, 'consent.png')).size > 1000);
});

test('a second authorization with the same scopes skips the consent page', async () => {
  const before = received.length;
  await page.goto(authorizeUrl('balance:read', 'st-again'));
  await page.waitForURL((u) => u.href.startsWith(callback));
  assert.equal(received.length, before + 1);
  const back = received.at(-1)!;
  assert.equal(back.searchParams.get('state'), 'st-again');
  assert.equal((await exchange(back.searchParams.get('code')!)).scope, 'balance:read');
});

test('more scopes ask again, and Deny sends error=access_denied with the state', async () => {
  await page.goto(authorizeUrl('balance:read invoices:read', 'st-deny'));
  assert.equal(await page.locator('h1').innerText(), 'Browser Test App wants to access your account');
  assert.deepEqual(await page.locator('ul.scopes li code').allInnerTexts(), ['balance:read', 'invoices:read']);
  await page.click('button[value=deny]');
  await page.waitForURL((u) => u.href.startsWith(callback));
  const back = received.at(-1)!;
  assert.equal(back.searchParams.get('error'), 'access_denied');
  assert.equal(back.searchParams.get('state'), 'st-deny');
  assert.equal(back.searchParams.get('code'), null);
});

test('revoking the app on the connected-apps page makes its tokens inactive', async () => {
  const introspect = async (): Promise<{ active: boolean }> =>
    (await (await postForm(satgate.url, '/oauth/introspect', { token: firstToken }, { authorization: basic(app.clientId, app.clientSecret) })).json()) as { active: boolean };
  assert.equal((await introspect()).active, true);

  await page.goto(`${satgate.url}/login/apps`);
  assert.equal(await page.locator('h1').innerText(), 'Connected apps');
  const item = page.locator(`li[data-client-id="${app.clientId}"]`);
  assert.match(await item.innerText(), /Browser Test App/);
  assert.match(await item.innerText(), /Read your balance/);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'connected-apps.png'), fullPage: true });
  await item.locator('button', { hasText: 'Revoke access' }).click();
  assert.equal(await page.locator('[role=status]').innerText(), 'Access revoked.');
  assert.equal(await page.locator(`li[data-client-id="${app.clientId}"]`).count(), 0);
  assert.equal((await introspect()).active, false);
});

test('after revoking, the app must ask for consent again; signing out returns to the sign-in page', async () => {
  await page.goto(authorizeUrl('balance:read', 'st-after'));
  assert.equal(await page.locator('h1').innerText(), 'Browser Test App wants to access your account');
  await page.click('button:has-text("Not you?")');
  assert.equal(await page.locator('h1').innerText(), 'Sign in to continue to Browser Test App');
  assert.equal(new URL(page.url()).searchParams.get('state'), 'st-after');
});
