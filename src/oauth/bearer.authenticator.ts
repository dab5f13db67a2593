import { Injectable, OnModuleInit, Inject } from '@nestjs/common';
import type { BearerAuthenticator, GrantStatus } from '../access/access.ports';
import type { OAuthPrincipal } from '../access/principal';
import { hashSecret } from '../core/oauth';
import { isDatabaseUnavailable } from '../database/database-unavailable';
import { INVALIDATE_ALL, InvalidationBus } from '../database/invalidation.bus';
import { GrantsRepository } from './grants.repository';
import { OAUTH_CLIENT_TOPIC, OAUTH_GRANT_TOPIC, OAUTH_TOKEN_TOPIC } from './oauth.topics';
import { INVALID, TokenCache } from './token.cache';
import { grantPrincipalOf, principalOf, tokenProblem } from './token.validity';
import { TokensRepository } from './tokens.repository';
import { CLOCK } from '../common/clock.module';
import type { Clock } from '../core/clock';

/** Tokens are 43 characters; anything far longer is not ours and is refused before hashing. */
const MAX_TOKEN_LENGTH = 512;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The OAuth side of the access guard (port `BEARER_AUTHENTICATOR`): access token -> principal, and the state
 * of a grant an L402 is bound to. Both are answered from an in-process cache once seen (no database query on
 * the hot path), and both caches are emptied by the InvalidationBus when a grant, token or client is revoked
 * on any instance. While the bus cannot hear revocations, cached answers are re-checked after
 * REVOCATION_BOUND_MS; while the database cannot be reached, a token or grant known good is served until its
 * own expiry (no revocation can be committed meanwhile; README "Outages").
 */
@Injectable()
export class OAuthBearerAuthenticator implements BearerAuthenticator, OnModuleInit {
  private readonly cache = new TokenCache({ maxEntries: 10_000, maxAgeMs: 5 * 60_000 });

  constructor(
    private readonly tokens: TokensRepository,
    private readonly grants: GrantsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly bus: InvalidationBus,
  ) {}

  onModuleInit(): void {
    const unlessAll = (drop: (key: string) => void) => (key: string) => (key === INVALIDATE_ALL ? this.cache.clear() : drop(key));
    this.bus.subscribe(OAUTH_GRANT_TOPIC, unlessAll((grantId) => this.cache.dropGrant(grantId)));
    this.bus.subscribe(OAUTH_CLIENT_TOPIC, unlessAll((clientId) => this.cache.dropClient(clientId)));
    this.bus.subscribe(OAUTH_TOKEN_TOPIC, unlessAll((tokenId) => this.cache.dropToken(tokenId)));
  }

  /** The principal of a live access token; undefined for unknown, expired or revoked ones (all answered alike). */
  async authenticate(token: string): Promise<OAuthPrincipal | undefined> {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return undefined;
    const hash = hashSecret(token);
    const nowMs = this.clock.now().getTime();
    const cached = this.cache.get(hash, nowMs, { recheckAfterMs: this.bus.recheckAfterMs });
    if (cached === INVALID) return undefined;
    if (cached) return cached;

    const epoch = this.cache.epoch();
    let record;
    try {
      record = await this.tokens.findByHash(hash);
    } catch (err) {
      const known = isDatabaseUnavailable(err) ? this.cache.fallback(hash, this.clock.now().getTime()) : undefined;
      if (known) return known;
      throw err;
    }
    const now = this.clock.now();
    if (!record || record.kind !== 'access' || tokenProblem(record, now)) {
      this.cache.putInvalid(hash, now.getTime(), epoch);
      return undefined;
    }
    const principal = principalOf(record);
    this.cache.put(hash, principal, now.getTime(), epoch);
    return principal;
  }

  /** Whether a grant is live (not revoked, not expired, client still there), with its current scopes. */
  async grantStatus(grantId: string): Promise<GrantStatus> {
    if (!UUID.test(grantId)) return { live: false };
    const nowMs = this.clock.now().getTime();
    const cached = this.cache.getGrant(grantId, nowMs, { recheckAfterMs: this.bus.recheckAfterMs });
    if (cached) return cached;

    const epoch = this.cache.epoch();
    let record: Awaited<ReturnType<GrantsRepository['findStatus']>>;
    try {
      record = await this.grants.findStatus(grantId);
    } catch (err) {
      const known = isDatabaseUnavailable(err) ? this.cache.fallbackGrant(grantId, this.clock.now().getTime()) : undefined;
      if (known) return known;
      throw err;
    }
    const now = this.clock.now();
    const live = record && !record.grant.revokedAt && record.grant.expiresAt.getTime() > now.getTime();
    const status: GrantStatus = live && record ? { live: true, principal: grantPrincipalOf(record) } : { live: false };
    this.cache.putGrant(grantId, status, now.getTime(), epoch);
    return status;
  }
}
