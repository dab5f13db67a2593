/**
 * The token store contract: one L402 token per origin (scheme + host + port), possibly still *pending*
 * (written before paying, so a crash between paying and storing never makes us pay twice).
 */
import type { L402Scheme } from '../core/l402';

/** A stored token. `preimage` exists only once the payment settled (`state: 'paid'`). */
export interface TokenRecord {
  /** Canonical origin, port always explicit: `https://api.example.com:443`. */
  origin: string;
  state: 'pending' | 'paid';
  /** Scheme to answer with: the server's (L402 unless it offered only LSAT). */
  scheme: L402Scheme;
  macaroon: string;
  invoice: string;
  paymentHash: string;
  amountSats: number;
  preimage?: string;
  feeSats?: number;
  createdAt: string;
  paidAt?: string;
}

/** Persistence for tokens; `FileTokenStore` is the default, tests or apps may bring their own. */
export interface TokenStore {
  get(origin: string): Promise<TokenRecord | undefined>;
  /** Replace the origin's record (one token per origin). Must be atomic: old or new, never half. */
  put(record: TokenRecord): Promise<void>;
  /** Returns whether a record existed. */
  delete(origin: string): Promise<boolean>;
  list(): Promise<TokenRecord[]>;
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/**
 * The key tokens are stored under. `URL.origin` drops default ports, which would make
 * `http://h` and `http://h:80` look different to users reading `tokens list`; we always spell the port.
 */
export function originOf(url: string | URL): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  if (!DEFAULT_PORTS[u.protocol]) throw new TypeError(`not an http(s) URL: ${u.protocol}`);
  const port = u.port || DEFAULT_PORTS[u.protocol];
  return `${u.protocol}//${u.hostname.toLowerCase()}:${port}`;
}

/** Accepts an origin as users type it (`localhost:8080`, `https://x`, a full URL) and canonicalises it. */
export function normaliseOriginArg(text: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  return originOf(withScheme);
}
