import { decodeCaveat, CONDITION_PREIMAGE } from './caveats';
import { MalformedCredential } from './errors';
import type { Macaroon } from './macaroon';
import { decodeMacaroon, encodeMacaroon, macaroonFromBase64 } from './macaroon.codec';
import { encodeBase64 } from './base64';

/**
 * Reading the L402 credential a client presents (docs/protocol.md "Credential"):
 * - `Authorization: L402 <mac>:<preimage-hex>` or `LSAT ...`, scheme case-insensitive (RFC 7235 §2.1),
 *   the macaroon in standard or URL-safe base64, padded or not, the preimage 64 hex digits in either case;
 * - aperture's gRPC forms `Grpc-Metadata-Macaroon: <hex>` / `Macaroon: <hex>`, the preimage then being a
 *   `preimage=<hex>` caveat inside the macaroon (the verifier checks it against the payment hash and the
 *   `preimage` satisfier checks every such caveat matches).
 * Functions return `undefined` when no L402 credential is present at all and throw `MalformedCredential`
 * when one is present but unreadable, so the guard can answer `missing` vs `malformed`.
 */

/** A parsed, not yet verified, L402 credential. */
export interface L402Credential {
  /** How it arrived; `macaroon-header` = aperture's gRPC header form. */
  scheme: 'L402' | 'LSAT' | 'macaroon-header';
  macaroon: Macaroon;
  preimage: Buffer;
}

const SCHEME = /^\s*([A-Za-z0-9]+)(?:\s+([^]*))?$/;
const TOKEN = /^([A-Za-z0-9+/_=-]+):([0-9A-Fa-f]{64})$/;
const HEX = /^(?:[0-9A-Fa-f]{2})+$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses the credential after the scheme, `<mac>:<preimage-hex>` (what `readCredential` in access/ hands
 * over as `value`). Throws `MalformedCredential`.
 */
export function parseL402Token(value: string, scheme: 'L402' | 'LSAT' = 'L402'): L402Credential {
  const m = TOKEN.exec(value.trim());
  if (!m) throw new MalformedCredential('L402 credential must be <macaroon>:<64 hex preimage>');
  return { scheme, macaroon: macaroonFromBase64(m[1]), preimage: Buffer.from(m[2], 'hex') };
}

/**
 * Finds an L402/LSAT credential in `Authorization` value(s). Several values (or one value joined with
 * commas by a proxy; base64 has no comma) are scanned in order and the first L402/LSAT one wins, so a
 * client sending both `LSAT ...` and `L402 ...`, as Lightning Labs' clients do, is accepted.
 */
export function parseL402Authorization(header: string | readonly string[] | undefined): L402Credential | undefined {
  if (header === undefined) return undefined;
  const values = typeof header === 'string' ? [header] : header;
  for (const value of values) {
    for (const part of value.split(',')) {
      const m = SCHEME.exec(part);
      const scheme = m?.[1].toUpperCase();
      if (scheme !== 'L402' && scheme !== 'LSAT') continue;
      return parseL402Token(m?.[2] ?? '', scheme);
    }
  }
  return undefined;
}

/**
 * Parses aperture's `Macaroon: <hex>` form: the macaroon in hex with the preimage in its last
 * `preimage=` caveat (aperture's `HasCaveat` picks the last). Throws `MalformedCredential`.
 */
export function parseMacaroonHeader(value: string): L402Credential {
  const hex = value.trim();
  if (!HEX.test(hex)) throw new MalformedCredential('macaroon header is not hex');
  const macaroon = decodeMacaroon(Buffer.from(hex, 'hex'));
  let preimageHex: string | undefined;
  for (const caveat of macaroon.caveats) {
    if (caveat.verificationId) continue;
    let text: string;
    try {
      text = utf8.decode(caveat.id);
    } catch {
      continue;
    }
    if (!text.startsWith(CONDITION_PREIMAGE + '=')) continue;
    preimageHex = decodeCaveat(text).value;
  }
  if (preimageHex === undefined) throw new MalformedCredential('macaroon header without preimage caveat');
  if (!/^[0-9A-Fa-f]{64}$/.test(preimageHex)) throw new MalformedCredential('preimage caveat is not 64 hex digits');
  return { scheme: 'macaroon-header', macaroon, preimage: Buffer.from(preimageHex, 'hex') };
}

/** Request headers as Node exposes them: lower-case names, repeated ones as arrays. */
export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

function first(value: string | readonly string[] | undefined): string | undefined {
  const v = typeof value === 'string' ? value : value?.[0];
  return v !== undefined && v.trim() !== '' ? v : undefined;
}

/**
 * The whole credential lookup for a request, in aperture's order: `Authorization` (L402/LSAT), then
 * `Grpc-Metadata-Macaroon`, then `Macaroon`. A Bearer `Authorization` is not an L402 and is skipped.
 */
export function readL402Credential(headers: HeaderBag): L402Credential | undefined {
  const fromAuthorization = parseL402Authorization(headers['authorization']);
  if (fromAuthorization) return fromAuthorization;
  const hex = first(headers['grpc-metadata-macaroon']) ?? first(headers['macaroon']);
  return hex === undefined ? undefined : parseMacaroonHeader(hex);
}

/**
 * The client side: `L402 <standard base64>:<lower-case hex>`, the form aperture's regex expects. A macaroon
 * given as text is sent exactly as the server's challenge spelled it; a preimage given as text is hex.
 */
export function formatL402Authorization(
  macaroon: Macaroon | Uint8Array | string,
  preimage: Uint8Array | string,
  scheme: 'L402' | 'LSAT' = 'L402',
): string {
  const mac =
    typeof macaroon === 'string'
      ? macaroon
      : encodeBase64(macaroon instanceof Uint8Array ? macaroon : encodeMacaroon(macaroon));
  const pre = typeof preimage === 'string' ? preimage : Buffer.from(preimage).toString('hex');
  return `${scheme} ${mac}:${pre}`;
}
