import {
  capabilitiesCaveat,
  encodeCaveat,
  isReservedCondition,
  oauthGrantCaveat,
  servicesCaveat,
  validUntilCaveat,
  type Caveat,
} from './caveats';
import { encodeIdentifier, identifierHash } from './identifier';
import { addFirstPartyCaveat, DEFAULT_LOCATION, newMacaroon, ROOT_KEY_SIZE } from './macaroon';
import { encodeMacaroon } from './macaroon.codec';
import { encodeBase64 } from './base64';

/**
 * Minting an L402 the way aperture's `mint.MintL402` does, so aperture-compatible clients see the same
 * token shape: location `lsat`, identifier `version || payment_hash || token_id`, and caveats in aperture's
 * order — services, capabilities (when the resource has some), configured constraints, valid_until (when
 * it has a lifetime). satgate's own `oauth_grant` binding and any extra caveats follow, so aperture's
 * prefix is unchanged. Storing the root key (keyed by `idHash`) is the caller's job.
 */

/** Inputs to {@link mintL402}; all byte arrays are raw bytes, not hex. */
export interface MintL402Params {
  /** 32 random bytes, stored by the caller under `idHash`; one per token. */
  rootKey: Uint8Array;
  /** The invoice's payment hash: paying it reveals the preimage that unlocks the token. */
  paymentHash: Uint8Array;
  /** 32 random bytes (see `randomTokenId`). */
  tokenId: Uint8Array;
  service: string;
  /** aperture's service tier (0 = base tier). */
  tier: number;
  /** `<service>_capabilities`; omitted when absent or empty. */
  capabilities?: readonly string[];
  /** Configured constraints, added verbatim as `condition=value` in insertion order. */
  constraints?: Readonly<Record<string, string>>;
  /** Unix seconds; adds `<service>_valid_until` (see `validUntilFromLifetime`). */
  validUntil?: number;
  /** Defaults to aperture's `lsat`. */
  location?: string;
  /** Binds the token to an OAuth grant (`both` routes): adds `oauth_grant=<id>`. */
  oauthGrant?: string;
  /** Anything else, appended last (a verifier must know each condition or it refuses the token). */
  extraCaveats?: readonly (Caveat | string)[];
}

/** A freshly minted L402, before the client pays. */
export interface MintedL402 {
  /** V2 binary macaroon. */
  macaroon: Buffer;
  /** Standard padded base64 of `macaroon`, as the challenge carries it. */
  macaroonBase64: string;
  /** The 66-byte identifier. */
  identifier: Buffer;
  /** sha256(identifier): the root-key store key. */
  idHash: Buffer;
  /** The caveat texts in order (for admin views and logs; they hold no secret). */
  caveats: string[];
}

/** The caveat texts {@link mintL402} adds, in order; exported so tests and admin tools can show them. */
export function mintCaveats(params: Omit<MintL402Params, 'rootKey' | 'paymentHash' | 'tokenId' | 'location'>): string[] {
  const caveats: Caveat[] = [servicesCaveat([{ name: params.service, tier: params.tier }])];
  if (params.capabilities && params.capabilities.length > 0) {
    caveats.push(capabilitiesCaveat(params.service, params.capabilities));
  }
  for (const [condition, value] of Object.entries(params.constraints ?? {})) {
    if (condition === '' || condition.includes('=') || isReservedCondition(condition)) {
      throw new TypeError(`constraint condition ${JSON.stringify(condition)} is reserved or invalid`);
    }
    caveats.push({ condition, value });
  }
  if (params.validUntil !== undefined) caveats.push(validUntilCaveat(params.service, params.validUntil));
  if (params.oauthGrant !== undefined) caveats.push(oauthGrantCaveat(params.oauthGrant));
  const texts = caveats.map(encodeCaveat);
  for (const extra of params.extraCaveats ?? []) texts.push(typeof extra === 'string' ? extra : encodeCaveat(extra));
  return texts;
}

/** Mints the macaroon of an L402. Throws `TypeError`/`RangeError` on bad arguments (a programming error). */
export function mintL402(params: MintL402Params): MintedL402 {
  if (params.rootKey.length !== ROOT_KEY_SIZE) throw new RangeError('root key must be 32 bytes');
  const identifier = encodeIdentifier({ paymentHash: params.paymentHash, tokenId: params.tokenId });
  const caveats = mintCaveats(params);
  let mac = newMacaroon({ rootKey: params.rootKey, identifier, location: params.location ?? DEFAULT_LOCATION });
  for (const caveat of caveats) mac = addFirstPartyCaveat(mac, caveat);
  const macaroon = encodeMacaroon(mac);
  return { macaroon, macaroonBase64: encodeBase64(macaroon), identifier, idHash: identifierHash(identifier), caveats };
}
