/**
 * Reads the L402 identifier out of a challenge's macaroon without verifying it (the client never holds the
 * root key): the payment hash it commits to lets the client refuse an invoice that pays for something else.
 * The reading is core/l402's, with the leniency a client needs (either base64 alphabet, padded or not; V1 as
 * well as V2 binary); its refusals become the client's MalformedChallengeError.
 */
import { decodeIdentifier, isL402Error, macaroonFromBase64, type L402Identifier } from '../core/l402';
import { MalformedChallengeError } from './client.errors';

/** Base64 macaroon text from a challenge -> its L402 identifier. Throws MalformedChallengeError. */
export function identifierOfMacaroon(macaroonBase64: string): L402Identifier {
  try {
    return decodeIdentifier(macaroonFromBase64(macaroonBase64.trim(), { acceptV1: true }).identifier);
  } catch (err) {
    if (isL402Error(err)) throw new MalformedChallengeError(err.message);
    throw err;
  }
}

/**
 * When an L402 token stops working, for display only: the earliest `<service>_valid_until=<unix seconds>`
 * caveat (aperture's timeout caveat), or undefined when it has none or the macaroon cannot be read.
 */
export function macaroonExpiry(macaroonBase64: string): Date | undefined {
  let caveats: string[];
  try {
    caveats = macaroonFromBase64(macaroonBase64.trim(), { acceptV1: true }).caveats.map((c) => Buffer.from(c.id).toString('utf8'));
  } catch {
    return undefined;
  }
  const times = caveats.map((c) => /_valid_until=(\d{1,12})$/.exec(c)?.[1]).filter((t): t is string => t !== undefined);
  return times.length ? new Date(Math.min(...times.map(Number)) * 1000) : undefined;
}
