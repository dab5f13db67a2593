import { decodeBase64Loose, encodeBase64 } from './base64';

/**
 * The `WWW-Authenticate` challenge of a 402 (docs/protocol.md "Challenge"). Lightning Labs' clients match
 * `(LSAT|L402) macaroon="(.*?)", invoice="(.*?)"` and older ones read only the first value, so the two
 * values are emitted in exactly that shape, LSAT first.
 */

const INVOICE = /^[A-Za-z0-9]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The two challenge values, `[LSAT ..., L402 ...]`, each to be sent as its own `WWW-Authenticate` header
 * value. `macaroon` is the V2 binary macaroon (encoded as standard padded base64) or that base64 already.
 * Throws a `TypeError` for an invoice or base64 that would break the quoting (a programming error).
 */
export function formatL402Challenges(macaroon: Uint8Array | string, invoice: string): [string, string] {
  const mac = typeof macaroon === 'string' ? macaroon : encodeBase64(macaroon);
  if (!BASE64.test(mac)) throw new TypeError('challenge macaroon must be standard base64');
  if (!INVOICE.test(invoice)) throw new TypeError('challenge invoice must be a bech32 BOLT11 string');
  const params = `macaroon="${mac}", invoice="${invoice}"`;
  return [`LSAT ${params}`, `L402 ${params}`];
}

/** A challenge as a paying client reads it. */
export interface L402Challenge {
  scheme: 'L402' | 'LSAT';
  /** The V2 binary macaroon. */
  macaroon: Buffer;
  invoice: string;
}

const PARAM = /([A-Za-z]+)="([^"]*)"/g;

/**
 * Client side: finds the first L402/LSAT challenge among `WWW-Authenticate` values. Accepts the
 * `macaroon=` form and the 2026 spec's `L402 version="0", token="<mac>", invoice="<bolt11>"`.
 * Returns `undefined` when no usable challenge is present.
 */
export function parseL402Challenge(values: string | readonly string[] | undefined): L402Challenge | undefined {
  if (values === undefined) return undefined;
  for (const value of typeof values === 'string' ? [values] : values) {
    // One header value may hold several challenges; each starts with its scheme.
    for (const m of value.matchAll(/(?:^|,)\s*(L402|LSAT)\s+((?:[A-Za-z]+="[^"]*"\s*,?\s*)+)/gi)) {
      const params = new Map<string, string>();
      for (const p of m[2].matchAll(PARAM)) params.set(p[1].toLowerCase(), p[2]);
      const version = params.get('version');
      if (version !== undefined && version !== '0') continue;
      const macB64 = params.get('macaroon') ?? params.get('token');
      const invoice = params.get('invoice');
      const mac = macB64 === undefined ? undefined : decodeBase64Loose(macB64);
      if (!mac || mac.length === 0 || !invoice) continue;
      return { scheme: m[1].toUpperCase() as 'L402' | 'LSAT', macaroon: mac, invoice };
    }
  }
  return undefined;
}
