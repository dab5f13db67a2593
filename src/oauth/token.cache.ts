import type { GrantStatus } from '../access/access.ports';
import type { OAuthPrincipal } from '../access/principal';

/** Returned by {@link TokenCache.get} for a token known to be invalid (unknown, expired or revoked). */
export const INVALID = Symbol('invalid-token');

/** Sizes and ages of the cache. */
export interface TokenCacheOptions {
  /** Most entries kept per map (valid tokens, invalid tokens, grant statuses); the least recently used go first. */
  maxEntries: number;
  /**
   * Longest time an entry is trusted before the database is asked again — a safety net should an
   * invalidation message be lost (e.g. while the LISTEN connection reconnects). Revocations normally arrive
   * through the InvalidationBus at once.
   */
  maxAgeMs: number;
}

interface TokenEntry {
  principal: OAuthPrincipal;
  expiresAtMs: number;
  staleAtMs: number;
  /** performance.now() when the database last confirmed it: elapsed time, immune to clock changes. */
  checkedAt: number;
}

interface GrantEntry {
  status: GrantStatus;
  clientId?: string;
  expiresAtMs: number;
  staleAtMs: number;
  checkedAt: number;
}

/** How a lookup may use the cache. */
export interface CacheUse {
  /**
   * Answer only entries the database confirmed less than this long ago (set while the invalidation listener
   * is down: no revocation could reach this instance, so the cache may not vouch for longer than this).
   */
  recheckAfterMs?: number;
}

function checkedTooLongAgo(checkedAt: number, use: CacheUse): boolean {
  return use.recheckAfterMs !== undefined && performance.now() - checkedAt >= use.recheckAfterMs;
}

/**
 * The hot path's memory: access-token hash -> principal, so a token already seen validates without a
 * database query, and grant id -> status for L402s bound to a grant. Bounded (LRU), respects token expiry,
 * and drops entries by grant, client or token id when the InvalidationBus says so.
 *
 * Race rule: a revocation may commit while a lookup is in flight. Every drop bumps an epoch; a lookup records
 * the epoch before its query and its result is only stored if no drop happened meanwhile.
 *
 * An entry that is stale (maxAge) or too long unconfirmed ({@link CacheUse}) is not answered by `get` but
 * is kept until it expires: `fallback` serves it while the database cannot be reached (README: "Outages").
 */
export class TokenCache {
  private readonly valid = new Map<string, TokenEntry>();
  private readonly invalid = new Map<string, number>();
  private readonly grants = new Map<string, GrantEntry>();
  private readonly byGrant = new Map<string, Set<string>>();
  private readonly byClient = new Map<string, Set<string>>();
  private readonly byTokenId = new Map<string, string>();
  private generation = 0;

  constructor(private readonly options: TokenCacheOptions) {}

  /** Current epoch; pass it back to the `put*` methods. */
  epoch(): number {
    return this.generation;
  }

  get size(): number {
    return this.valid.size;
  }

  /** The principal of a cached valid token, INVALID when known invalid or expired, undefined when not known. */
  get(tokenHash: string, nowMs: number, use: CacheUse = {}): OAuthPrincipal | typeof INVALID | undefined {
    const entry = this.valid.get(tokenHash);
    if (entry) {
      if (nowMs >= entry.expiresAtMs) {
        this.remove(tokenHash);
        return INVALID;
      }
      this.valid.delete(tokenHash);
      this.valid.set(tokenHash, entry);
      if (nowMs >= entry.staleAtMs || checkedTooLongAgo(entry.checkedAt, use)) return undefined;
      return entry.principal;
    }
    const staleAt = this.invalid.get(tokenHash);
    if (staleAt === undefined) return undefined;
    if (nowMs >= staleAt) {
      this.invalid.delete(tokenHash);
      return undefined;
    }
    return INVALID;
  }

  /** A known-good token not yet expired, however long ago it was confirmed: for when the database is down. */
  fallback(tokenHash: string, nowMs: number): OAuthPrincipal | undefined {
    const entry = this.valid.get(tokenHash);
    return entry && nowMs < entry.expiresAtMs ? entry.principal : undefined;
  }

  put(tokenHash: string, principal: OAuthPrincipal, nowMs: number, epoch: number): void {
    if (epoch !== this.generation) return;
    this.remove(tokenHash);
    this.valid.set(tokenHash, {
      principal,
      expiresAtMs: principal.expiresAt.getTime(),
      staleAtMs: nowMs + this.options.maxAgeMs,
      checkedAt: performance.now(),
    });
    index(this.byGrant, principal.grantId, tokenHash);
    index(this.byClient, principal.clientId, tokenHash);
    this.byTokenId.set(principal.tokenId, tokenHash);
    if (this.valid.size > this.options.maxEntries) this.remove(this.valid.keys().next().value as string);
  }

  putInvalid(tokenHash: string, nowMs: number, epoch: number): void {
    if (epoch !== this.generation) return;
    this.invalid.delete(tokenHash);
    this.invalid.set(tokenHash, nowMs + this.options.maxAgeMs);
    if (this.invalid.size > this.options.maxEntries) this.invalid.delete(this.invalid.keys().next().value as string);
  }

  getGrant(grantId: string, nowMs: number, use: CacheUse = {}): GrantStatus | undefined {
    const entry = this.grants.get(grantId);
    if (!entry) return undefined;
    if (entry.status.live && nowMs >= entry.expiresAtMs) {
      this.grants.delete(grantId);
      return { live: false };
    }
    if (nowMs >= entry.staleAtMs || checkedTooLongAgo(entry.checkedAt, use)) return undefined;
    return entry.status;
  }

  /** The last known status of a grant not yet expired, for when the database is down. */
  fallbackGrant(grantId: string, nowMs: number): GrantStatus | undefined {
    const entry = this.grants.get(grantId);
    if (!entry) return undefined;
    return entry.status.live && nowMs >= entry.expiresAtMs ? { live: false } : entry.status;
  }

  putGrant(grantId: string, status: GrantStatus, nowMs: number, epoch: number): void {
    if (epoch !== this.generation) return;
    this.grants.delete(grantId);
    this.grants.set(grantId, {
      status,
      clientId: status.live ? status.principal.clientId : undefined,
      expiresAtMs: status.live ? status.principal.expiresAt.getTime() : Number.POSITIVE_INFINITY,
      staleAtMs: nowMs + this.options.maxAgeMs,
      checkedAt: performance.now(),
    });
    if (this.grants.size > this.options.maxEntries) this.grants.delete(this.grants.keys().next().value as string);
  }

  /** Forgets every token of a grant and the grant's status (the grant was revoked or its tokens rotated). */
  dropGrant(grantId: string): void {
    this.generation += 1;
    for (const hash of [...(this.byGrant.get(grantId) ?? [])]) this.remove(hash);
    this.grants.delete(grantId);
  }

  /** Forgets every token and grant status of a client (deleted, or its allowed scopes changed). */
  dropClient(clientId: string): void {
    this.generation += 1;
    for (const hash of [...(this.byClient.get(clientId) ?? [])]) this.remove(hash);
    for (const [grantId, entry] of this.grants) if (entry.clientId === clientId) this.grants.delete(grantId);
  }

  /** Forgets everything (revocations may have been missed while the invalidation listener was down). */
  clear(): void {
    this.generation += 1;
    for (const map of [this.valid, this.invalid, this.grants, this.byGrant, this.byClient, this.byTokenId]) map.clear();
  }

  /** Forgets one token by its row id (RFC 7009 revocation of one access token). */
  dropToken(tokenId: string): void {
    this.generation += 1;
    const hash = this.byTokenId.get(tokenId);
    if (hash !== undefined) this.remove(hash);
  }

  private remove(tokenHash: string): void {
    const entry = this.valid.get(tokenHash);
    if (!entry) return;
    this.valid.delete(tokenHash);
    unindex(this.byGrant, entry.principal.grantId, tokenHash);
    unindex(this.byClient, entry.principal.clientId, tokenHash);
    this.byTokenId.delete(entry.principal.tokenId);
  }
}

function index(map: Map<string, Set<string>>, key: string, hash: string): void {
  const set = map.get(key) ?? new Set<string>();
  set.add(hash);
  map.set(key, set);
}

function unindex(map: Map<string, Set<string>>, key: string, hash: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(hash);
  if (set.size === 0) map.delete(key);
}
