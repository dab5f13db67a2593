/**
 * Shared steps of the login/accounts test files: an HTTP "browser" with a cookie jar that reads the CSRF
 * token out of the pages (for checks a real browser makes awkward: exact statuses, headers, forged posts),
 * and account creation through the admin API.
 */
import assert from 'node:assert/strict';
import { adminHeaders } from './support/app';

/** A cookie jar over fetch: no redirect following, so every 302/303 is visible. */
export class FormClient {
  readonly cookies = new Map<string, string>();
  /** The Set-Cookie values of the last response. */
  lastSetCookies: string[] = [];

  constructor(readonly base: string, readonly headers: Record<string, string> = {}) {}

  async get(path: string): Promise<Response> {
    return this.send(path, { method: 'GET' });
  }

  /** Posts a form as given (the caller includes, omits or forges `csrf`). */
  async post(path: string, form: Record<string, string>): Promise<Response> {
    return this.send(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${this.base}${path}`, {
      ...init,
      redirect: 'manual',
      headers: { ...this.headers, ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    this.lastSetCookies = res.headers.getSetCookie();
    for (const c of this.lastSetCookies) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (attrs.some((a) => /^\s*max-age=0$/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
}

/** The CSRF token of the first form in a page. */
export function csrfOf(html: string): string {
  const m = /<input type="hidden" name="csrf" value="([^"]+)">/.exec(html);
  assert.ok(m, 'the page has a CSRF field');
  return m[1];
}

/** The visible error message of a page, if any. */
export function errorOf(html: string): string | undefined {
  return /<div class="error" role="alert">([^<]*)<\/div>/.exec(html)?.[1];
}

/** Creates a local account through the admin API; returns the 201 body. */
export async function createAccount(url: string, username: string, password?: string): Promise<{ id: string; userId: string; username: string; password?: string }> {
  const res = await fetch(`${url}/admin/accounts`, {
    method: 'POST',
    headers: { ...adminHeaders, 'content-type': 'application/json' },
    body: JSON.stringify(password === undefined ? { username } : { username, password }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as { id: string; userId: string; username: string; password?: string };
}

/** Signs in at /login (no app) with a fresh page's CSRF token; returns the POST's response. */
export async function signInAtLogin(client: FormClient, username: string, password: string): Promise<Response> {
  const page = await client.get('/login');
  const html = await page.text();
  return client.post('/login', { csrf: csrfOf(html), action: 'sign_in', username, password });
}

/** POSTs the admin API with JSON. */
export function adminPost(url: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { ...adminHeaders, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/**
 * Signs in on the authorization page for `query` and approves on the consent page; returns the final Location
 * (the app's redirect URI with `code` or `error`).
 */
export async function signInAndApprove(browser: FormClient, query: string, username: string, password: string): Promise<string> {
  const page = await browser.get(`/login/authorize?${query}`);
  const signedIn = await browser.post('/login/authorize', { csrf: csrfOf(await page.text()), action: 'sign_in', request: query, username, password });
  assert.equal(signedIn.status, 303, 'signed in');
  return approveAgain(browser, query);
}

/** With a session: opens the authorization page, expects the consent page (200) and approves; returns the Location. */
export async function approveAgain(browser: FormClient, query: string): Promise<string> {
  const consent = await browser.get(`/login/authorize?${query}`);
  assert.equal(consent.status, 200, 'the consent page');
  const approved = await browser.post('/login/authorize', { csrf: csrfOf(await consent.text()), action: 'approve', request: query });
  assert.equal(approved.status, 303);
  return approved.headers.get('location')!;
}
