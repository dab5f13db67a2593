/**
 * Reads the L402 identifier out of a challenge's macaroon without verifying it (the client never holds the
 * root key). We only need the payment hash it commits to, to refuse invoices that pay for something else.
 * A tiny decoder of our own keeps the client free of the `macaroon` package's sjcl/tweetnacl stack.
 */
import { MalformedChallengeError } from './client.errors';

/** The decoded L402 identifier: `uint16 BE version || payment_hash[32] || token_id[32]` (docs/protocol.md "Identifier"). */
export interface L402Identifier {
  version: number;
  paymentHash: string;
  tokenId: string;
}

/** Decode standard or URL-safe base64, padded or not — servers send either (docs/protocol.md "Credential"). */
export function decodeBase64Loose(text: string): Buffer {
  const cleaned = text.trim().replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(cleaned) || cleaned.length % 4 === 1) {
    throw new MalformedChallengeError('the macaroon is not base64');
  }
  return Buffer.from(cleaned, 'base64');
}

/** The raw identifier bytes of a binary macaroon, V2 (what aperture sends) or V1. */
export function macaroonIdentifierBytes(macaroon: Buffer): Buffer {
  if (macaroon.length === 0) throw new MalformedChallengeError('the macaroon is empty');
  return macaroon[0] === 0x02 ? v2Identifier(macaroon) : v1Identifier(macaroon);
}

/** Parse the 66-byte L402 identifier; unknown versions are refused rather than guessed (docs/protocol.md "Identifier"). */
export function parseL402Identifier(identifier: Buffer): L402Identifier {
  if (identifier.length < 2) throw new MalformedChallengeError('the macaroon identifier is too short');
  const version = identifier.readUInt16BE(0);
  if (version !== 0) throw new MalformedChallengeError(`unknown macaroon identifier version ${version}`);
  if (identifier.length !== 66) {
    throw new MalformedChallengeError(`the version 0 identifier has ${identifier.length} bytes, expected 66`);
  }
  return {
    version,
    paymentHash: identifier.subarray(2, 34).toString('hex'),
    tokenId: identifier.subarray(34, 66).toString('hex'),
  };
}

/** Convenience for the fetch flow: base64 macaroon text -> its L402 identifier. */
export function identifierOfMacaroon(macaroonBase64: string): L402Identifier {
  return parseL402Identifier(macaroonIdentifierBytes(decodeBase64Loose(macaroonBase64)));
}

/** V2: 0x02, then packets (varint type, varint length, data); location (1) is optional, identifier (2). */
function v2Identifier(buf: Buffer): Buffer {
  let pos = 1;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= buf.length) throw new MalformedChallengeError('the macaroon is truncated');
      const b = buf[pos++];
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new MalformedChallengeError('the macaroon has an oversized field');
    }
  };
  for (;;) {
    const type = varint();
    if (type === 0) break; // end of the header section without an identifier
    const len = varint();
    if (pos + len > buf.length) throw new MalformedChallengeError('the macaroon is truncated');
    const data = buf.subarray(pos, pos + len);
    pos += len;
    if (type === 2) return Buffer.from(data);
    if (type !== 1) break;
  }
  throw new MalformedChallengeError('the macaroon has no identifier');
}

/** V1: packets of a 4-hex-digit length (header included) then `key value\n`; `identifier` follows `location`. */
function v1Identifier(buf: Buffer): Buffer {
  let pos = 0;
  while (pos + 4 <= buf.length) {
    const len = parseInt(buf.subarray(pos, pos + 4).toString('latin1'), 16);
    if (!Number.isFinite(len) || len < 5 || pos + len > buf.length) break;
    const packet = buf.subarray(pos + 4, pos + len);
    pos += len;
    const space = packet.indexOf(0x20);
    if (space < 0) break;
    if (packet.subarray(0, space).toString('latin1') === 'identifier') {
      const end = packet[packet.length - 1] === 0x0a ? packet.length - 1 : packet.length;
      return Buffer.from(packet.subarray(space + 1, end));
    }
  }
  throw new MalformedChallengeError('the macaroon is neither a V2 nor a V1 binary macaroon');
}
