/**
 * Shared steps of the OAuth test files: user JWTs, client registration through the admin API, and the two
 * HTTP legs of the authorization-code flow. Each helper returns what a real client would see.
 */
import assert from 'node:assert/strict';
import { CLOCK } from '../src/common/clock.module';
import type { Clock } from '../src/core/clock';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { signUserJwt } from '../src/users/user-jwt.signer';
import { adminHeaders, TEST_JWT_SECRET } from './support/app';

/** RFC 7636 Appendix B vector. */
export const RFC7636_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
export const RFC7636_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

/** A user JWT as LNDhub would issue it (HS256 with the test JWT_SECRET). */
export function userJwt(id: number | string = 214, identifier = 'B07KQWNvGAiq2kGWU3kz', lifetimeSeconds = 3600): Promise<string> {
  return signUserJwt({ id, identifier }, TEST_JWT_SECRET, { now: () => new Date() }, lifetimeSeconds);
}

/** The 201 body of `POST /admin/clients` (the fields the tests use). */
export interface RegisteredClient {
  clientId: string;
  clientSecret?: string;
  redirectUris: string[];
  scopes: string[];
  public: boolean;
}

/** Registers a client through `POST /admin/clients` and returns the 201 body. */
export async function registerClient(url: string, body: Record<string, unknown>): Promise<RegisteredClient> {
  const res = await fetch(`${url}/admin/clients`, {
    method: 'POST',
    headers: { ...adminHeaders, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Test app', url: 'https://app.example.com', imageUrl: '', ...body }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as RegisteredClient;
}

/** `Authorization: Basic` for a client (RFC 6749 §2.3.1; our ids and secrets need no form-encoding). */
export function basic(clientId: string, secret = ''): string {
  return `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
}

/** `/oauth/authorize` as the resource owner's agent: no redirect following, so the 302 is visible. */
export async function authorize(
  url: string,
  params: Record<string, string>,
  opts: { jwt?: string; method?: 'GET' | 'POST'; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.jwt) headers.authorization = `Bearer ${opts.jwt}`;
  const query = new URLSearchParams(params).toString();
  return fetch(`${url}/oauth/authorize?${query}`, { method: opts.method ?? 'GET', headers, redirect: 'manual' });
}

/** The query parameters of a 302's Location (asserting it is one). */
export function redirectParams(res: Response): URLSearchParams {
  assert.equal(res.status, 302, `expected a redirect, got ${res.status}`);
  const location = res.headers.get('location');
  assert.ok(location, 'a Location header');
  return new URL(location).searchParams;
}

/** A code for `client` with the given extra authorization parameters. */
export async function obtainCode(url: string, client: RegisteredClient, params: Record<string, string> = {}, jwt?: string): Promise<string> {
  const res = await authorize(
    url,
    { client_id: client.clientId, response_type: 'code', redirect_uri: client.redirectUris[0], scope: 'balance:read', ...params },
    { jwt: jwt ?? (await userJwt()) },
  );
  const code = redirectParams(res).get('code');
  assert.ok(code, 'the redirect carries a code');
  return code;
}

/** POST a form to a token-family endpoint. */
export function postForm(url: string, path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

/** The token endpoint's success JSON (RFC 6749 §5.1). */
export interface Tokens {
  access_token: string;
  expires_in: number;
  refresh_token?: string;
  scope: string;
  token_type: string;
}

/** Redeems `code` for `client` the way the seed does (Basic for confidential clients), asserting 200. */
export async function exchangeCode(
  url: string,
  client: RegisteredClient,
  code: string,
  extra: Record<string, string> = {},
): Promise<Tokens> {
  const res = await postForm(
    url,
    '/oauth/token',
    { grant_type: 'authorization_code', code, redirect_uri: client.redirectUris[0], ...extra },
    client.clientSecret ? { authorization: basic(client.clientId, client.clientSecret) } : {},
  );
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as Tokens;
}

/** GET with a bearer token. */
export function getWithBearer(url: string, path: string, token: string): Promise<Response> {
  return fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
}

/** Moves the app's clock `seconds` ahead of the wall clock (no sleeping); returns a restore function. */
export function advanceClock(app: RunningSatgate, seconds: number): () => void {
  const clock = app.app.get<Clock>(CLOCK);
  clock.now = () => new Date(Date.now() + seconds * 1000);
  return () => {
    clock.now = () => new Date();
  };
}
