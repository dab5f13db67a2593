import type { VerifiedL402 } from '../core/l402';
import { INVALIDATE_ALL } from '../database/invalidation.bus';
import { L402_DEFAULTS } from './l402.constants';

/**
 * Verified L402 credentials, keyed by the exact presented credential and the target it was checked against.
 *
 * Why: even with the root key cached, a full verification (base64 and macaroon decoding, sha256 of preimage
 * and identifier, the HMAC chain, caveat parsing) measured 40–60 µs per request in the loaded server —
 * enough to pull the L402-guarded proxy below 0.8x of the unguarded one. A hit costs one map lookup.
 *
 * What a hit must still honour: the clock (`valid_until` is the only time-dependent caveat, re-checked on
 * every hit with the verifier's rule `now < valid_until`) and revocation (entries are dropped by identifier
 * hash when the root key is invalidated on any instance; a verification in flight across an invalidation
 * is not cached). Strict mode and bound grants are checked by the caller on every request, hit or miss.
 */
export class VerifiedCredentialCache {
  private readonly entries = new Map<string, VerifiedL402>();
  private readonly keysByIdHash = new Map<string, Set<string>>();
  private epochCounter = 0;

  constructor(private readonly maxEntries: number = L402_DEFAULTS.rootKeyCacheSize) {}

  /** The cache key: credential form and text and the target (a token may pass one target and not another). */
  static keyOf(form: string, value: string, target: { service: string; tier?: number; capability?: string }): string {
    return `${form}\n${value}\n${target.service}\n${target.tier ?? 0}\n${target.capability ?? ''}`;
  }

  /** A still-valid verification, or undefined (expired entries are dropped so the verifier reports why). */
  get(key: string, now: Date): VerifiedL402 | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.validUntil !== undefined && !(now.getTime() < hit.validUntil * 1000)) {
      this.delete(key, hit.idHash);
      return undefined;
    }
    return hit;
  }

  /** Marks the start of a verification; pass the result to `put` so a racing invalidation wins. */
  epoch(): number {
    return this.epochCounter;
  }

  put(key: string, verified: VerifiedL402, startedAt: number): void {
    if (startedAt !== this.epochCounter) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.entries().next().value;
      if (oldest) this.delete(oldest[0], oldest[1].idHash);
    }
    this.entries.set(key, verified);
    const keys = this.keysByIdHash.get(verified.idHash) ?? new Set<string>();
    keys.add(key);
    this.keysByIdHash.set(verified.idHash, keys);
  }

  /** Drops every cached credential of one token (its root key was revoked or purged); INVALIDATE_ALL drops all. */
  forgetToken(idHashHex: string): void {
    this.epochCounter += 1;
    if (idHashHex === INVALIDATE_ALL) {
      this.entries.clear();
      this.keysByIdHash.clear();
      return;
    }
    for (const key of this.keysByIdHash.get(idHashHex) ?? []) this.entries.delete(key);
    this.keysByIdHash.delete(idHashHex);
  }

  get size(): number {
    return this.entries.size;
  }

  private delete(key: string, idHash: string): void {
    this.entries.delete(key);
    const keys = this.keysByIdHash.get(idHash);
    keys?.delete(key);
    if (keys && keys.size === 0) this.keysByIdHash.delete(idHash);
  }
}
