import { createHash, timingSafeEqual } from 'node:crypto';
import { decodeCaveat, type Caveat } from './caveats';
import { BadPreimage, MalformedCredential, RevokedToken, UnknownCaveat, UnknownToken } from './errors';
import { decodeIdentifier, identifierHash, type L402Identifier } from './identifier';
import { verifyMacaroonSignature, type Macaroon } from './macaroon';
import { decodeMacaroon } from './macaroon.codec';
import { assertSatisfierConfig, checkCaveats, type CaveatTarget, type SatisfierConfig } from './satisfiers';
import type { Clock } from '../clock';

export type { Clock } from '../clock';

/**
 * The L402 verification pipeline, cheapest check first (docs/protocol.md "Caveats"): the preimage against the
 * identifier's payment hash (one sha256, no I/O), the root key by sha256(identifier) (one lookup), the
 * HMAC chain, then the caveats against the target and the clock. Every refusal is an `L402Error` whose
 * `reason` is the 402 body's. Errors thrown by the root-key store (database down) pass through unchanged:
 * they are outages, not refusals.
 */

/** What the root-key store returns for sha256(identifier). */
export interface RootKeyRecord {
  rootKey: Uint8Array;
  /** Set once revoked; any value means revoked, so a clock skew between instances cannot resurrect it. */
  revokedAt?: Date | null;
  /**
   * The OAuth grant the token was minted for (`both` routes), as stored at minting. The only source of a
   * token's binding: a client may append caveats to its own macaroon, so an `oauth_grant` caveat proves
   * nothing unless it equals this value.
   */
  oauthGrant?: string | null;
}

/**
 * Port to the root-key store (TypeORM + cache on the Nest side). May answer synchronously on a cache hit
 * so the hot path needs no await; `undefined` means no such token.
 */
export interface RootKeyStore {
  getRootKey(idHash: Buffer): Promise<RootKeyRecord | undefined> | RootKeyRecord | undefined;
}


/** Dependencies and options of the verifier, in one object (docs/style.md, "Layers"). */
export interface L402VerifierConfig extends SatisfierConfig {
  rootKeys: RootKeyStore;
  clock: Clock;
}

/** A credential to verify: the macaroon (decoded, or V2 binary) and the preimage bytes. */
export interface PresentedL402 {
  macaroon: Macaroon | Uint8Array;
  preimage: Uint8Array;
}

/** A verified token, as the guard attaches it to the request (`L402Principal`). Hex fields are lower case. */
export interface VerifiedL402 {
  tokenId: string;
  paymentHash: string;
  /** sha256(identifier), hex: the root-key store key (for usage records, revocation). */
  idHash: string;
  service: string;
  tier: number;
  /** The deciding capabilities list; empty when the token carries no capabilities caveat. */
  capabilities: string[];
  /** The target service's deciding `valid_until`, unix seconds. */
  validUntil?: number;
  /**
   * The bound OAuth grant id, from the root-key record (never from the caveats): the caller must check the
   * grant is live and holds the scopes.
   */
  oauthGrant?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

/** Verifies L402 credentials for one deployment (root-key store, clock, known constraints). */
export class L402Verifier {
  private readonly config: L402VerifierConfig;

  /** Validates the configuration now, so a bad constraint fails at boot, not on the first request. */
  constructor(config: L402VerifierConfig) {
    assertSatisfierConfig(config);
    this.config = { ...config };
  }

  /** Verifies and resolves to the token description, or rejects with an `L402Error`. */
  verify(credential: PresentedL402, target: CaveatTarget): Promise<VerifiedL402> {
    try {
      return Promise.resolve(this.verifyMaybeSync(credential, target));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Same as {@link verify}, but returns synchronously (and throws synchronously) when the root-key store
   * answered synchronously, e.g. from its cache: no promise on the hot path.
   */
  verifyMaybeSync(credential: PresentedL402, target: CaveatTarget): VerifiedL402 | Promise<VerifiedL402> {
    const mac = credential.macaroon instanceof Uint8Array ? decodeMacaroon(credential.macaroon) : credential.macaroon;
    if (credential.preimage.length !== 32) throw new MalformedCredential('preimage must be 32 bytes');
    const id = decodeIdentifier(mac.identifier);
    const hash = createHash('sha256').update(credential.preimage).digest();
    if (!timingSafeEqual(hash, id.paymentHash)) throw new BadPreimage();
    const idHash = identifierHash(mac.identifier);
    const record = this.config.rootKeys.getRootKey(idHash);
    if (isThenable(record)) return record.then((r) => this.finish(mac, id, idHash, r, credential.preimage, target));
    return this.finish(mac, id, idHash, record, credential.preimage, target);
  }

  private finish(
    mac: Macaroon,
    id: L402Identifier,
    idHash: Buffer,
    record: RootKeyRecord | undefined,
    preimage: Uint8Array,
    target: CaveatTarget,
  ): VerifiedL402 {
    if (!record) throw new UnknownToken();
    if (record.revokedAt) throw new RevokedToken();
    verifyMacaroonSignature(mac, record.rootKey);
    const boundGrant = record.oauthGrant ?? undefined;
    const ctx = { ...target, now: this.config.clock.now(), preimage, boundGrant };
    const outcome = checkCaveats(caveatsOf(mac), ctx, this.config);
    const verified: VerifiedL402 = {
      tokenId: id.tokenId.toString('hex'),
      paymentHash: id.paymentHash.toString('hex'),
      idHash: idHash.toString('hex'),
      service: target.service,
      tier: outcome.tier,
      capabilities: outcome.capabilities,
    };
    if (outcome.validUntil !== undefined) verified.validUntil = outcome.validUntil;
    if (boundGrant !== undefined) verified.oauthGrant = boundGrant;
    return verified;
  }
}

/**
 * The first-party caveats as text. A third-party caveat (we issue no discharges) or bytes that are not
 * UTF-8 `condition=value` cannot be satisfied here: `UnknownCaveat`.
 */
export function caveatsOf(mac: Macaroon): Caveat[] {
  return mac.caveats.map((caveat) => {
    if (caveat.verificationId) throw new UnknownCaveat('third-party caveats are not supported');
    let text: string;
    try {
      text = utf8.decode(caveat.id);
    } catch {
      throw new UnknownCaveat('caveat is not UTF-8 text');
    }
    return decodeCaveat(text);
  });
}
