import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AccessDenied } from '../access/access-denied';
import type { L402Requirement } from '../access/access-policy';
import {
  BEARER_AUTHENTICATOR,
  L402Rejected,
  type BearerAuthenticator,
  type L402Authority,
  type L402Presented,
} from '../access/access.ports';
import type { L402Principal } from '../access/principal';
import { APP_CONFIG } from '../config/config.module';
import type { RuntimeConfig } from '../config/config.types';
import {
  CaveatFailed,
  CONDITION_OAUTH_GRANT,
  identifierHash,
  isL402Error,
  L402Verifier,
  parseL402Token,
  parseMacaroonHeader,
  Unpaid,
  type Clock,
  type L402Credential,
  type L402Reason,
  type VerifiedL402,
} from '../core/l402';
import { InvalidationBus } from '../database/invalidation.bus';
import { ChallengeIssuer } from './challenge.issuer';
import { InvoiceLedger } from './invoice.ledger';
import { DEFAULT_SERVICE, ROOT_KEY_TOPIC } from './l402.constants';
import { CachedRootKeyStore } from './root-key.store';
import { VerifiedCredentialCache } from './verified-credential.cache';
import { CLOCK } from '../common/clock.module';

/**
 * Refusals decided after the signature checked out: the token is authentic, so the grant stored with its
 * root key at minting applies and a `both` caller can be re-challenged for that grant (docs/architecture.md, "What each mode answers").
 * Never the grant an `oauth_grant` caveat names: a holder may append caveats, including someone else's grant.
 */
const AFTER_SIGNATURE: ReadonlySet<L402Reason> = new Set(['wrong_service', 'expired', 'unknown_caveat', 'caveat_failed', 'unpaid']);

function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

/**
 * The access layer's L402 port (access.ports.ts): verification through the core pipeline (preimage, root
 * key from the cached store, signature, caveats against the route's service, tier, capability and the clock),
 * strict mode's settled-invoice check, and challenge issuing. A credential already verified for the same
 * target is answered from the VerifiedCredentialCache (clock and revocation still honoured); on such a hit,
 * with strict mode's settlement already known, nothing here awaits I/O.
 */
@Injectable()
export class L402AuthorityService implements L402Authority, OnModuleInit {
  private readonly verifier: L402Verifier;
  private readonly verified = new VerifiedCredentialCache();

  constructor(
    private readonly rootKeys: CachedRootKeyStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly bus: InvalidationBus,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly ledger: InvoiceLedger,
    private readonly issuer: ChallengeIssuer,
    @Optional() @Inject(BEARER_AUTHENTICATOR) private readonly bearer?: BearerAuthenticator,
  ) {
    this.verifier = new L402Verifier({ rootKeys, clock, acceptOAuthGrant: true });
  }

  onModuleInit(): void {
    // Revocation and purge invalidate the root key; the verified credentials of that token go with it.
    this.bus.subscribe(ROOT_KEY_TOPIC, (idHash) => this.verified.forgetToken(idHash));
  }

  async verify(presented: L402Presented, requirement: L402Requirement, _req: FastifyRequest): Promise<L402Principal> {
    let credential: L402Credential | undefined;
    let verified: VerifiedL402 | undefined;
    try {
      const target = { service: requirement.service ?? DEFAULT_SERVICE, tier: requirement.tier ?? 0, capability: requirement.capability };
      const key = VerifiedCredentialCache.keyOf(presented.form, presented.value, target);
      verified = this.verified.get(key, this.clock.now());
      // While revocations cannot arrive, a hit stands only if its root key (re-read after the bound) does.
      if (verified && !this.bus.listening && !(await this.rootKeyStillValid(verified.idHash))) {
        this.verified.forgetToken(verified.idHash);
        verified = undefined;
      }
      if (!verified) {
        const startedAt = this.verified.epoch();
        credential = presented.form === 'authorization' ? parseL402Token(presented.value) : parseMacaroonHeader(presented.value);
        const pending = this.verifier.verifyMaybeSync({ macaroon: credential.macaroon, preimage: credential.preimage }, target);
        verified = isThenable(pending) ? await pending : pending;
        this.verified.put(key, verified, startedAt);
      }
      if (this.config.l402Strict) {
        const settled = this.ledger.isSettled(verified.paymentHash);
        if (!(isThenable(settled) ? await settled : settled)) throw new Unpaid();
      }
      if (verified.oauthGrant !== undefined) await this.assertGrantLive(verified.oauthGrant);
      return principalOf(verified);
    } catch (err) {
      if (!isL402Error(err)) throw err;
      const grant = AFTER_SIGNATURE.has(err.reason) ? await this.storedGrant(verified, credential) : undefined;
      throw new L402Rejected(err.reason, grant);
    }
  }

  challenge(requirement: L402Requirement, reason: string, req: FastifyRequest, opts?: { oauthGrant?: string }): Promise<AccessDenied> {
    return this.issuer.issue(requirement, reason, req, opts);
  }

  /**
   * The grant an authentic token was minted for, from the database only: the verification's answer when it
   * completed, else the root-key record (cached by the verification that just refused the token).
   */
  private async storedGrant(verified: VerifiedL402 | undefined, credential: L402Credential | undefined): Promise<string | undefined> {
    if (verified) return verified.oauthGrant;
    if (!credential) return undefined;
    const record = await this.rootKeys.getRootKey(identifierHash(credential.macaroon.identifier));
    return record && !record.revokedAt ? (record.oauthGrant ?? undefined) : undefined;
  }

  private async rootKeyStillValid(idHashHex: string): Promise<boolean> {
    const pending = this.rootKeys.getRootKey(Buffer.from(idHashHex, 'hex'));
    const record = isThenable(pending) ? await pending : pending;
    return record !== undefined && !record.revokedAt;
  }

  /**
   * A bound token restricts itself to its grant, so it is honoured only while the grant is live — on any
   * route, not just `both` ones (where the evaluator checks the scopes as well).
   */
  private async assertGrantLive(grantId: string): Promise<void> {
    if (!this.bearer) throw new CaveatFailed('no OAuth server to check the bound grant', CONDITION_OAUTH_GRANT);
    const status = await this.bearer.grantStatus(grantId);
    if (!status.live) throw new CaveatFailed('the bound OAuth grant is revoked or expired', CONDITION_OAUTH_GRANT);
  }
}

function principalOf(v: VerifiedL402): L402Principal {
  const principal: L402Principal = {
    tokenId: v.tokenId,
    paymentHash: v.paymentHash,
    service: v.service,
    tier: v.tier,
    capabilities: v.capabilities,
  };
  if (v.oauthGrant !== undefined) principal.oauthGrant = v.oauthGrant;
  return principal;
}
