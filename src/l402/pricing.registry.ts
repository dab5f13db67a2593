import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { L402Requirement } from '../access/access-policy';

/**
 * Computes a price (whole sats) for one request, e.g. by payload size or query. It sees the request before
 * the handler runs; it must not trust anything in it beyond what it prices. Runs only when a challenge is
 * issued, never on the paid path.
 */
export type PricingHook = (req: FastifyRequest, requirement: L402Requirement) => number | Promise<number>;

/**
 * A requirement's price could not be determined, or its terms (service, tier, capabilities, lifetime) cannot
 * be minted: a configuration or hook bug, answered as a 500 before any invoice is created.
 */
export class PricingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PricingError';
  }
}

/**
 * Named pricing hooks. A requirement (`@RequireL402({ price, pricing: 'by-size' })` or a gateway route)
 * names a hook instead of carrying code, so policies stay plain data; `price` is the static fallback the
 * hook receives in `requirement.price`. Feature modules register their hooks in `onModuleInit`.
 */
@Injectable()
export class L402PricingRegistry {
  private readonly hooks = new Map<string, PricingHook>();

  /** Registers `hook` under `name`; a second registration of a name is a bug and throws. */
  register(name: string, hook: PricingHook): void {
    if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(name)) throw new TypeError(`invalid pricing hook name ${JSON.stringify(name)}`);
    if (this.hooks.has(name)) throw new TypeError(`pricing hook ${JSON.stringify(name)} is already registered`);
    this.hooks.set(name, hook);
  }

  has(name: string): boolean {
    return this.hooks.has(name);
  }

  /**
   * The price of a fresh token for this request: the named hook's answer, or the static price. Throws
   * PricingError for an unknown hook or a price that is not a positive whole number of sats (a zero-amount
   * BOLT11 invoice would let the payer choose the amount).
   */
  async priceOf(requirement: L402Requirement, req: FastifyRequest): Promise<number> {
    let price = requirement.price;
    if (requirement.pricing !== undefined) {
      const hook = this.hooks.get(requirement.pricing);
      if (!hook) throw new PricingError(`no pricing hook named ${JSON.stringify(requirement.pricing)} is registered`);
      price = await hook(req, requirement);
    }
    if (!Number.isSafeInteger(price) || price < 1) {
      throw new PricingError(`L402 price must be a positive whole number of sats, got ${String(price)}`);
    }
    return price;
  }
}
