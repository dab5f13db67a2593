import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { BadSignature } from './errors';

/**
 * Macaroons as go-macaroon builds them (aperture and every Lightning Labs client use go-macaroon), so
 * tokens satgate mints work with `lnget`/loopd/LNC and vice versa: the model, minting, attenuation and
 * the signature check. The binary wire format lives in `macaroon.codec.ts`. Signing uses node:crypto HMAC
 * directly: verification runs on every paid request, and js-macaroon's sjcl-based check is about 3x
 * slower on an aperture-shaped token (see verify.bench.ts).
 */

/** aperture mints every L402 with this location; clients do not interpret it. */
export const DEFAULT_LOCATION = 'lsat';
/** Size of root keys satgate mints with (aperture's `SecretSize`). */
export const ROOT_KEY_SIZE = 32;

const KEY_GENERATOR = Buffer.from('macaroons-key-generator', 'utf8');

/** One caveat. First-party caveats (all satgate mints) have only `id`. */
export interface MacaroonCaveat {
  id: Buffer;
  /** Third-party caveats only: the encrypted caveat key. */
  verificationId?: Buffer;
  /** Third-party caveats only: where to get a discharge. */
  location?: string;
}

/** A decoded macaroon. Treated as immutable: helpers return new objects. */
export interface Macaroon {
  /** Empty string when absent (go-macaroon's convention). */
  location: string;
  identifier: Buffer;
  caveats: readonly MacaroonCaveat[];
  signature: Buffer;
}

function hmac(key: Uint8Array, data: Uint8Array): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/**
 * The per-macaroon signing key: `HMAC-SHA256(key="macaroons-key-generator", rootKey)`. The L402 spec text
 * says HMAC(root_key, id), but go-macaroon and js-macaroon derive this key first; we follow the libraries.
 */
export function deriveMacaroonKey(rootKey: Uint8Array): Buffer {
  return hmac(KEY_GENERATOR, rootKey);
}

/** A fresh random 32-byte root key, one per token, as aperture does. */
export function newRootKey(): Buffer {
  return randomBytes(ROOT_KEY_SIZE);
}

/** Folds one caveat into the running signature: HMAC(sig, id), or the two-step hash for third-party ones. */
function chainCaveat(sig: Buffer, caveat: MacaroonCaveat): Buffer {
  if (!caveat.verificationId) return hmac(sig, caveat.id);
  const h1 = hmac(sig, caveat.verificationId);
  const h2 = hmac(sig, caveat.id);
  return hmac(sig, Buffer.concat([h1, h2]));
}

/** Creates a caveat-less macaroon: `sig0 = HMAC(deriveMacaroonKey(rootKey), identifier)`. */
export function newMacaroon(params: { rootKey: Uint8Array; identifier: Uint8Array; location?: string }): Macaroon {
  const identifier = Buffer.from(params.identifier);
  return {
    location: params.location ?? DEFAULT_LOCATION,
    identifier,
    caveats: [],
    signature: hmac(deriveMacaroonKey(params.rootKey), identifier),
  };
}

/**
 * Attenuates a macaroon with a first-party caveat: `sig' = HMAC(sig, caveat)`. Anyone holding the
 * macaroon can do this without the root key, which is why a caveat may only ever restrict.
 */
export function addFirstPartyCaveat(mac: Macaroon, caveat: string | Uint8Array): Macaroon {
  const id = typeof caveat === 'string' ? Buffer.from(caveat, 'utf8') : Buffer.from(caveat);
  return { ...mac, caveats: [...mac.caveats, { id }], signature: hmac(mac.signature, id) };
}

/** Recomputes the signature chain from the root key. */
export function computeMacaroonSignature(mac: Macaroon, rootKey: Uint8Array): Buffer {
  let sig = hmac(deriveMacaroonKey(rootKey), mac.identifier);
  for (const caveat of mac.caveats) sig = chainCaveat(sig, caveat);
  return sig;
}

/**
 * Proves the macaroon was minted with `rootKey` and its caveats were not altered, only appended to.
 * Throws `BadSignature`. Constant-time compare, since the signature is the bearer secret.
 */
export function verifyMacaroonSignature(mac: Macaroon, rootKey: Uint8Array): void {
  const expected = computeMacaroonSignature(mac, rootKey);
  if (mac.signature.length !== expected.length || !timingSafeEqual(expected, mac.signature)) {
    throw new BadSignature();
  }
}
