import { createHash, randomBytes } from 'node:crypto';
import { MalformedCredential } from './errors';

/**
 * The macaroon identifier of an L402, byte-compatible with aperture (`l402/identifier.go`):
 * `uint16 big-endian version (0) || payment_hash (32) || token_id (32)`, 66 bytes. The payment hash
 * ties the token to one invoice (so the preimage proves payment); the random token id makes every
 * identifier unique, hence every root-key slot `sha256(identifier)` unique.
 */

/** The only identifier version aperture (and so satgate) mints. */
export const IDENTIFIER_VERSION = 0;
/** Size of a payment hash (sha256). */
export const PAYMENT_HASH_SIZE = 32;
/** Size of the random token id (aperture's `TokenIDSize`). */
export const TOKEN_ID_SIZE = 32;
/** Encoded size of a version-0 identifier. */
export const IDENTIFIER_SIZE = 2 + PAYMENT_HASH_SIZE + TOKEN_ID_SIZE;

/** The decoded fields of an identifier; byte arrays are copies, safe to keep. */
export interface L402Identifier {
  version: number;
  paymentHash: Buffer;
  tokenId: Buffer;
}

/**
 * Encodes an identifier. Throws a `RangeError` on wrong sizes: this only runs when minting, where a bad
 * argument is a programming error, not a client's fault.
 */
export function encodeIdentifier(id: { paymentHash: Uint8Array; tokenId: Uint8Array; version?: number }): Buffer {
  const version = id.version ?? IDENTIFIER_VERSION;
  if (version !== IDENTIFIER_VERSION) throw new RangeError(`unknown L402 identifier version ${version}`);
  if (id.paymentHash.length !== PAYMENT_HASH_SIZE) throw new RangeError('payment hash must be 32 bytes');
  if (id.tokenId.length !== TOKEN_ID_SIZE) throw new RangeError('token id must be 32 bytes');
  const out = Buffer.allocUnsafe(IDENTIFIER_SIZE);
  out.writeUInt16BE(version, 0);
  out.set(id.paymentHash, 2);
  out.set(id.tokenId, 2 + PAYMENT_HASH_SIZE);
  return out;
}

/**
 * Decodes an identifier presented by a client. An unknown version or a wrong length is refused with
 * reason `malformed`: aperture rejects unknown versions, and accepting trailing bytes would let two
 * different identifiers share a payment hash and token id.
 */
export function decodeIdentifier(bytes: Uint8Array): L402Identifier {
  if (bytes.length < 2) throw new MalformedCredential('L402 identifier too short');
  const version = (bytes[0] << 8) | bytes[1];
  if (version !== IDENTIFIER_VERSION) throw new MalformedCredential(`unknown L402 identifier version ${version}`);
  if (bytes.length !== IDENTIFIER_SIZE) {
    throw new MalformedCredential(`L402 identifier must be ${IDENTIFIER_SIZE} bytes, got ${bytes.length}`);
  }
  return {
    version,
    paymentHash: Buffer.from(bytes.subarray(2, 2 + PAYMENT_HASH_SIZE)),
    tokenId: Buffer.from(bytes.subarray(2 + PAYMENT_HASH_SIZE, IDENTIFIER_SIZE)),
  };
}

/**
 * The root-key store key: sha256 of the whole identifier, as aperture's `SecretStore` uses. Hashing lets
 * the store index tokens without keeping identifiers, and makes the key fixed-size.
 */
export function identifierHash(identifier: Uint8Array): Buffer {
  return createHash('sha256').update(identifier).digest();
}

/** A fresh random token id for minting (aperture: `crypto/rand`, 32 bytes). */
export function randomTokenId(): Buffer {
  return randomBytes(TOKEN_ID_SIZE);
}
