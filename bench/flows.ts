/**
 * How a caller obtains each credential through satgate's public APIs, shared by the benchmark and the gateway's
 * end-to-end tests: an OAuth client registered by the admin, an access token through the authorization-code
 * flow with a user JWT (Alby's way), and an L402 bought by paying the 402's invoice from the regtest payer node.
 */
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import { SignJWT } from 'jose';
import { pay, type AuthenticatedLnd } from 'lightning';

/** A confidential OAuth client as `POST /admin/clients` returned it. */
export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

/** A failed step, with what satgate answered (so a benchmark or test says which API is missing or refused). */
export class FlowError extends Error {
  constructor(step: string, status: number, body: string) {
    super(`${step}: HTTP ${status} ${body.slice(0, 300)}`);
    this.name = 'FlowError';
  }
}

/** `POST /admin/clients` (the admin API) for a confidential client allowed `scopes`. */
export async function registerClient(baseUrl: string, adminToken: string, name: string, scopes: string[]): Promise<RegisteredClient> {
  const redirectUri = `https://${name}.example/callback`;
  const res = await fetch(`${baseUrl}/admin/clients`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, url: `https://${name}.example`, domain: redirectUri, public: false, scopes }),
  });
  const text = await res.text();
  if (res.status !== 201) throw new FlowError('POST /admin/clients', res.status, text);
  const body = JSON.parse(text) as { clientId: string; clientSecret: string };
  return { clientId: body.clientId, clientSecret: body.clientSecret, redirectUri };
}

/** The user JWT a wallet backend (LNDhub) issues: HS256 with the shared JWT_SECRET, claims {id, identifier}. */
export function userJwt(jwtSecret: string, id: number, identifier: string): Promise<string> {
  return new SignJWT({ id, identifier })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(jwtSecret));
}

/** Tokens from `POST /oauth/token`. */
export interface TokenSet {
  access_token: string;
  refresh_token?: string;
  scope: string;
}

/** Authorization-code flow: `/oauth/authorize` with the user JWT -> 302 with a code -> `/oauth/token` with Basic auth. */
export async function accessToken(baseUrl: string, client: RegisteredClient, user: string, scopes: string[]): Promise<TokenSet> {
  const authorize = new URL(`${baseUrl}/oauth/authorize`);
  authorize.search = new URLSearchParams({
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: client.redirectUri,
    scope: scopes.join(' '),
    state: 'gateway',
  }).toString();
  const res = await fetch(authorize, { headers: { authorization: `Bearer ${user}` }, redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new FlowError('GET /oauth/authorize', res.status, await res.text());
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new FlowError('GET /oauth/authorize (no code)', res.status, location);
  const basic = Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64');
  const token = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri }).toString(),
  });
  const text = await token.text();
  if (token.status !== 200) throw new FlowError('POST /oauth/token', token.status, text);
  return JSON.parse(text) as TokenSet;
}

/** satgate's 402 body (docs/protocol.md "The 402 body"). */
export interface Challenge {
  reason: string;
  service: string;
  amount_sats: number;
  invoice: string;
  macaroon: string;
}

/** A paid L402: the Authorization value and the parts it was made from. */
export interface BoughtL402 {
  authorization: string;
  macaroon: string;
  preimage: string;
  challenge: Challenge;
}

/**
 * Buys an L402: the request answered 402 (with `headers`, e.g. the bearer of a `both` route), the payer pays the
 * invoice, and `L402 <macaroon>:<preimage>` is returned (preimage checked against the invoice's payment hash).
 */
export async function buyL402(url: string, init: RequestInit, payer: AuthenticatedLnd): Promise<BoughtL402> {
  const res = await fetch(url, init);
  const text = await res.text();
  if (res.status !== 402) throw new FlowError(`${init.method ?? 'GET'} ${url} (expected 402)`, res.status, text);
  const challenge = JSON.parse(text) as Challenge;
  const paid = await pay({ lnd: payer, request: challenge.invoice });
  const preimage = paid.secret;
  const hash = createHash('sha256').update(Buffer.from(preimage, 'hex')).digest('hex');
  if (hash !== paid.id) throw new Error('the payer returned a preimage that does not match the payment hash');
  return { authorization: `L402 ${challenge.macaroon}:${preimage}`, macaroon: challenge.macaroon, preimage, challenge };
}

/** A response with every header line as sent (fetch joins repeated WWW-Authenticate values into one string). */
export interface RawResponse {
  status: number;
  /** Header name (lower case) -> every value, in order. */
  headers: Record<string, string[]>;
  body: string;
}

/** One request through node:http, keeping repeated headers apart. */
export function rawRequest(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const headers: Record<string, string[]> = {};
      for (let i = 0; i < res.rawHeaders.length; i += 2) {
        const name = res.rawHeaders[i].toLowerCase();
        (headers[name] ??= []).push(res.rawHeaders[i + 1]);
      }
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
