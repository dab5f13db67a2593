import type { L402Requirement } from '../access/access-policy';
import type { GatewayRouteDef } from './route-table';

/**
 * What an L402 bought on one route is worth on the others of its service. A token carries its service and
 * tier (`services=<name>:<tier>`), its lifetime (`<service>_valid_until`) and its capabilities; verification
 * lets it open every resource of that service at or below its tier whose capability it holds. So within one
 * service, a route's token must never open another route on better terms than that route sells its own:
 * not cheaper, not for longer. The admin API refuses a route that would break this, naming the other route.
 */

/** The terms an L402 route sells its tokens on. */
export interface PaidTerms {
  /** How the error names the route: a gateway route's name, or `GET /demo/paid` for a built-in one. */
  label: string;
  service: string;
  tier: number;
  price: number;
  /** Seconds; `null` is a token that never expires. */
  lifetime: number | null;
  /** Capabilities minted into the token; empty means no capabilities caveat (every capability). */
  capabilities: readonly string[];
  /** The capability the route requires, if any. */
  capability: string | null;
}

/** A contradiction: the field of the candidate to change and why. */
export interface TermsConflict {
  field: 'price' | 'lifetime';
  message: string;
}

/** Terms of a controller route's requirement (`@RequireL402`), as the verifier applies them. */
export function termsOfRequirement(label: string, requirement: L402Requirement, defaultService: string): PaidTerms {
  return {
    label,
    service: requirement.service ?? defaultService,
    tier: requirement.tier ?? 0,
    price: requirement.price,
    lifetime: requirement.lifetime ?? null,
    capabilities: requirement.capabilities ?? [],
    capability: requirement.capability ?? null,
  };
}

const L402_MODES = new Set(['l402', 'both', 'either']);

/** Terms of a gateway route, or undefined when it takes no L402. Its service defaults to its name. */
export function termsOfRoute(def: Pick<GatewayRouteDef, 'name' | 'mode' | 'service' | 'tier' | 'price' | 'lifetime' | 'capabilities' | 'capability'>): PaidTerms | undefined {
  if (!L402_MODES.has(def.mode) || def.price === null) return undefined;
  return {
    label: def.name,
    service: def.service ?? def.name,
    tier: def.tier ?? 0,
    price: def.price,
    lifetime: def.lifetime,
    capabilities: def.capabilities,
    capability: def.capability,
  };
}

/** Whether a token minted on `from` passes verification on `to` (same service, tier, capability). */
export function opens(from: PaidTerms, to: PaidTerms): boolean {
  if (from.service !== to.service || from.tier < to.tier) return false;
  return to.capability === null || from.capabilities.length === 0 || from.capabilities.includes(to.capability);
}

function lasts(terms: PaidTerms): number {
  return terms.lifetime ?? Number.POSITIVE_INFINITY;
}

function describe(terms: PaidTerms): string {
  const lifetime = terms.lifetime === null ? 'no expiry' : `${terms.lifetime} s`;
  return `route ${JSON.stringify(terms.label)} (tier ${terms.tier}, ${terms.price} sats, ${lifetime})`;
}

/**
 * The first way `candidate` contradicts one of `others` (routes of any service; other services are
 * ignored), or undefined. Both directions count: the candidate's tokens opening another route, and another
 * route's tokens opening the candidate.
 */
export function findTermsConflict(candidate: PaidTerms, others: readonly PaidTerms[]): TermsConflict | undefined {
  const fix = `give one of them another service or a higher tier, or price and time them alike`;
  for (const other of others) {
    if (other.service !== candidate.service) continue;
    if (opens(candidate, other)) {
      if (candidate.price < other.price) {
        return { field: 'price', message: `price ${candidate.price} sats is below ${describe(other)} of service ${candidate.service}, which this route's tokens would open; ${fix}` };
      }
      if (lasts(candidate) > lasts(other)) {
        return { field: 'lifetime', message: `lifetime outlasts ${describe(other)} of service ${candidate.service}, which this route's tokens would open; ${fix}` };
      }
    }
    if (opens(other, candidate)) {
      if (other.price < candidate.price) {
        return { field: 'price', message: `price ${candidate.price} sats is above ${describe(other)} of service ${candidate.service}, whose tokens would open this route; ${fix}` };
      }
      if (lasts(other) > lasts(candidate)) {
        return { field: 'lifetime', message: `lifetime is shorter than ${describe(other)} of service ${candidate.service}, whose tokens would open this route; ${fix}` };
      }
    }
  }
  return undefined;
}
