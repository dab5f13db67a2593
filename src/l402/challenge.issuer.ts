import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { AccessDenied } from '../access/access-denied';
import type { L402Requirement } from '../access/access-policy';
import { logger } from '../common/logger';
import {
  formatL402Challenges,
  mintCaveats,
  mintL402,
  newRootKey,
  randomTokenId,
  validUntilFromLifetime,
  type Clock,
} from '../core/l402';
import { LightningError, LightningUnavailableError } from '../lightning/lightning.errors';
import { LIGHTNING } from '../lightning/lightning.module';
import type { CreatedInvoice, LightningService } from '../lightning/lightning.service';
import { ChallengeRateLimiter } from './challenge.rate-limit';
import { L402Invoice } from './invoice.entity';
import { InvoiceReconciler } from './invoice.reconciler';
import { InvoiceRepository } from './invoice.repository';
import { DEFAULT_SERVICE, L402_DEFAULTS } from './l402.constants';
import { L402PricingRegistry, PricingError } from './pricing.registry';
import { L402RootKey } from './root-key.entity';
import { RootKeyRepository } from './root-key.repository';
import { CLOCK } from '../common/clock.module';

/** The 402 body of docs/protocol.md ("The 402 body"), field names as on the wire. */
export interface ChallengeBody {
  error: 'payment_required';
  reason: string;
  service: string;
  amount_sats: number;
  invoice: string;
  macaroon: string;
  expires_at: string;
}

/** What a challenge binds the token to, beyond the requirement. */
export interface ChallengeOptions {
  /** `both` routes: the caller's OAuth grant, minted as `oauth_grant=<id>`. */
  oauthGrant?: string;
}

/** The caveat terms of one challenge, fixed (and checked) before any invoice exists. */
interface ChallengeTerms {
  service: string;
  tier: number;
  capabilities?: string[];
  validUntil?: number;
  oauthGrant?: string;
}

/**
 * Issues L402 challenges: checks the requirement can be minted, takes one from the client's challenge
 * allowance (429 when spent), prices the request, has the Lightning node create the invoice (its memo names
 * the service), mints the macaroon in aperture's caveat order bound to the invoice's payment hash, stores
 * root key and invoice in one transaction, and renders the 402 — or a 503 when the node cannot issue.
 * Everything that can refuse runs before the invoice is created, so a refusal never leaves an orphan
 * invoice on the node; an invoice whose recording fails afterwards is recorded by InvoiceReconciler.
 */
@Injectable()
export class ChallengeIssuer {
  constructor(
    @Inject(LIGHTNING) private readonly lightning: LightningService | null,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly pricing: L402PricingRegistry,
    private readonly rootKeys: RootKeyRepository,
    private readonly invoices: InvoiceRepository,
    private readonly dataSource: DataSource,
    private readonly limiter: ChallengeRateLimiter,
    private readonly reconciler: InvoiceReconciler,
  ) {}

  async issue(requirement: L402Requirement, reason: string, req: FastifyRequest, opts: ChallengeOptions = {}): Promise<AccessDenied> {
    const now = this.clock.now();
    const terms = mintableTerms(requirement, now, opts);
    const allowance = await this.limiter.take(req);
    if (!allowance.allowed) return tooManyChallenges(allowance.retryAfterSeconds);
    const price = await this.pricing.priceOf(requirement, req);
    if (!this.lightning) return lightningUnavailable();
    const { service } = terms;

    let invoice: CreatedInvoice;
    try {
      invoice = await this.lightning.createInvoice({
        sats: price,
        memo: invoiceMemo(service),
        expirySeconds: L402_DEFAULTS.invoiceExpirySeconds,
      });
    } catch (err) {
      if (!(err instanceof LightningError)) throw err;
      // Unreachable is routine (node restarting); anything else (e.g. a macaroon without invoice rights) is
      // a misconfiguration the operator must see. Either way the client can only retry later.
      // While the breaker is open every challenge fails at once: only the call that opened it is logged.
      if (err instanceof LightningUnavailableError) {
        if (err.reason !== 'CircuitOpen') logger.warn({ err: err.message }, 'L402 challenge: lightning node unavailable');
      }
      else logger.error({ err: err.message, reason: err.reason }, 'L402 challenge: lightning node refused to create an invoice');
      return lightningUnavailable();
    }

    const rootKey = newRootKey();
    const tokenId = randomTokenId();
    const minted = mintL402({ ...terms, rootKey, paymentHash: Buffer.from(invoice.paymentHash, 'hex'), tokenId });
    await this.store(minted, rootKey, tokenId, invoice, { ...terms, req, now });

    const body: ChallengeBody = {
      error: 'payment_required',
      reason,
      service,
      amount_sats: invoice.sats,
      invoice: invoice.paymentRequest,
      macaroon: minted.macaroonBase64,
      expires_at: invoice.expiresAt.toISOString(),
    };
    const [lsat, l402] = formatL402Challenges(minted.macaroonBase64, invoice.paymentRequest);
    return new AccessDenied(402, { ...body }, [
      ['WWW-Authenticate', lsat],
      ['WWW-Authenticate', l402],
      ['Cache-Control', 'no-store'],
      // Browser clients must be able to read the challenge of a cross-origin 402 (docs/protocol.md "Challenge").
      ['Access-Control-Expose-Headers', 'WWW-Authenticate'],
    ]);
  }

  private async store(
    minted: ReturnType<typeof mintL402>,
    rootKey: Buffer,
    tokenId: Buffer,
    invoice: CreatedInvoice,
    facts: { service: string; tier: number; validUntil?: number; oauthGrant?: string; req: FastifyRequest; now: Date },
  ): Promise<void> {
    const key = Object.assign(new L402RootKey(), {
      idHash: minted.idHash.toString('hex'),
      rootKey,
      paymentHash: invoice.paymentHash,
      tokenId: tokenId.toString('hex'),
      service: facts.service,
      tier: facts.tier,
      caveats: minted.caveats,
      validUntil: facts.validUntil === undefined ? null : new Date(facts.validUntil * 1000),
      oauthGrant: facts.oauthGrant ?? null,
      createdAt: facts.now,
      revokedAt: null,
    });
    const row = Object.assign(new L402Invoice(), {
      paymentHash: invoice.paymentHash,
      paymentRequest: invoice.paymentRequest,
      amountSats: invoice.sats,
      service: facts.service,
      resource: resourceOf(facts.req),
      state: 'open' as const,
      createdAt: facts.now,
      expiresAt: invoice.expiresAt,
      settledAt: null,
      settleIndex: null,
    });
    try {
      await this.dataSource.transaction(async (manager) => {
        await this.invoices.insert(row, manager);
        await this.rootKeys.insert(key, manager);
      });
    } catch (err) {
      // The node holds the invoice now; the reconciliation records it (it can never be paid: nobody got it).
      this.reconciler.noteUnrecorded(row);
      throw err;
    }
  }
}

/**
 * The requirement's caveat terms, checked by composing the caveats exactly as minting will: a service name,
 * tier (0..255), capability or lifetime the core cannot mint is a configuration bug (500, cause logged), and
 * must surface here, before the node has created an invoice nobody can ever be given.
 */
function mintableTerms(requirement: L402Requirement, now: Date, opts: ChallengeOptions): ChallengeTerms {
  const lifetime = requirement.lifetime;
  if (lifetime !== undefined && (!Number.isSafeInteger(lifetime) || lifetime < 1)) {
    throw new PricingError(`L402 lifetime must be a positive whole number of seconds, got ${String(lifetime)}`);
  }
  const terms: ChallengeTerms = {
    service: requirement.service ?? DEFAULT_SERVICE,
    tier: requirement.tier ?? 0,
    capabilities: requirement.capabilities,
    validUntil: lifetime === undefined ? undefined : validUntilFromLifetime(now, lifetime),
    oauthGrant: opts.oauthGrant,
  };
  try {
    mintCaveats(terms);
  } catch (err) {
    throw new PricingError(`L402 requirement cannot be minted: ${(err as Error).message}`);
  }
  return terms;
}

/** 429 once the client's challenge allowance is spent; no invoice was created for it. */
export function tooManyChallenges(retryAfterSeconds: number): AccessDenied {
  return new AccessDenied(429, { error: 'too_many_requests' }, [
    ['Retry-After', String(retryAfterSeconds)],
    ['Cache-Control', 'no-store'],
  ]);
}

/** The memo a payer's wallet shows: it names the service being paid for. */
export function invoiceMemo(service: string): string {
  return `L402 access to ${service} (satgate)`;
}

/** 503 while no invoice can be issued; `Retry-After` tells clients when to try again (never a 500). */
export function lightningUnavailable(): AccessDenied {
  return new AccessDenied(503, { error: 'lightning_unavailable' }, [
    ['Retry-After', String(L402_DEFAULTS.retryAfterSeconds)],
    ['Cache-Control', 'no-store'],
  ]);
}

/** `METHOD /route/template`: the route pattern, not the raw URL (which may carry secrets in its query). */
function resourceOf(req: FastifyRequest): string {
  const path = req.routeOptions?.url ?? req.url?.split('?')[0] ?? '';
  return `${req.method ?? ''} ${path}`.trim().slice(0, 300);
}
