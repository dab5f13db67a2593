import { Injectable, OnModuleInit } from '@nestjs/common';
import type { RootKeyRecord, RootKeyStore } from '../core/l402';
import { isDatabaseUnavailable } from '../database/database-unavailable';
import { INVALIDATE_ALL, InvalidationBus } from '../database/invalidation.bus';
import { L402_DEFAULTS, ROOT_KEY_TOPIC } from './l402.constants';
import { RootKeyRepository } from './root-key.repository';

/**
 * The verifier's root-key port over Postgres with an in-process cache, so a token whose key was looked up
 * once is verified with no database query and no promise (the cache answers synchronously).
 *
 * Coherence: root keys never change except by revocation (which also erases the key) or deletion (purge).
 * Both publish an invalidation on the InvalidationBus, which drops the entry here and, through Postgres
 * LISTEN/NOTIFY, on every other instance. A lookup that was already in flight when an invalidation for the
 * same key arrived is not cached (its answer may predate the change). Unknown tokens are not cached: the
 * next instance to mint could not otherwise see its own new key.
 *
 * While the bus cannot hear invalidations (its LISTEN connection is down), a hit older than
 * `bus.recheckAfterMs` is read again; if the database cannot be reached then, the cached record stands
 * (no revocation can be committed meanwhile; README "Outages").
 */
@Injectable()
export class CachedRootKeyStore implements RootKeyStore, OnModuleInit {
  private readonly cache = new Map<string, { record: RootKeyRecord; checkedAt: number }>();
  /** Bumped on every invalidation: a lookup that saw a bump while in flight is not cached. */
  private epoch = 0;

  constructor(
    private readonly repo: RootKeyRepository,
    private readonly bus: InvalidationBus,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe(ROOT_KEY_TOPIC, (key) => this.forget(key));
  }

  /** Synchronous on a cache hit; otherwise one primary-key query. */
  getRootKey(idHash: Buffer): RootKeyRecord | undefined | Promise<RootKeyRecord | undefined> {
    const key = idHash.toString('hex');
    const hit = this.cache.get(key);
    if (!hit) return this.load(key);
    const limit = this.bus.recheckAfterMs;
    // performance.now(): elapsed time since the database confirmed the record, immune to clock changes.
    if (limit === undefined || performance.now() - hit.checkedAt < limit) return hit.record;
    return this.load(key).catch((err: unknown) => {
      if (isDatabaseUnavailable(err)) return hit.record;
      throw err;
    });
  }

  /** Drops one entry (an invalidation from this or another instance). */
  forget(idHashHex: string): void {
    this.epoch += 1;
    if (idHashHex === INVALIDATE_ALL) this.cache.clear();
    else this.cache.delete(idHashHex);
  }

  /** Drops one entry here and on every instance; call after the change committed. */
  invalidate(idHashHex: string): Promise<void> {
    return this.bus.publish(ROOT_KEY_TOPIC, idHashHex);
  }

  /** How many keys are cached (for tests and metrics). */
  get size(): number {
    return this.cache.size;
  }

  private async load(key: string): Promise<RootKeyRecord | undefined> {
    const startedAt = this.epoch;
    const row = await this.repo.findKey(key);
    if (!row) return undefined;
    const record: RootKeyRecord = row.revokedAt
      ? { rootKey: Buffer.alloc(0), revokedAt: row.revokedAt, oauthGrant: row.oauthGrant ?? null }
      : { rootKey: row.rootKey ?? Buffer.alloc(0), revokedAt: null, oauthGrant: row.oauthGrant ?? null };
    if (this.epoch === startedAt) this.remember(key, record);
    else this.cache.delete(key);
    return record;
  }

  private remember(key: string, record: RootKeyRecord): void {
    if (!this.cache.has(key) && this.cache.size >= L402_DEFAULTS.rootKeyCacheSize) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.delete(key);
    this.cache.set(key, { record, checkedAt: performance.now() });
  }
}
