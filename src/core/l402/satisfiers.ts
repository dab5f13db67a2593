import { timingSafeEqual } from 'node:crypto';
import {
  CAPABILITIES_SUFFIX,
  CONDITION_OAUTH_GRANT,
  isReservedCondition,
  CONDITION_PREIMAGE,
  CONDITION_SERVICES,
  VALID_UNTIL_SUFFIX,
  decodeCapabilitiesValue,
  decodeServicesValue,
  decodeValidUntilValue,
  type Caveat,
} from './caveats';
import { CaveatFailed, ExpiredToken, UnknownCaveat, WrongService } from './errors';

/**
 * Caveat satisfiers, modelled on aperture's `l402/satisfier.go`: for the caveats sharing a condition,
 * each later one must be at least as strict as the one before (`satisfyPrevious`) and the last one decides
 * (`satisfyFinal`). Unlike aperture, a condition with no satisfier refuses the token (`unknown_caveat`).
 *
 * Decision for `<other>_valid_until` / `<other>_capabilities` where `<other>` is not the target service:
 * aperture only installs satisfiers for the target, so it ignores them. satgate treats them as known when
 * `<other>` is named in a `services` caveat of the token (a multi-service token legitimately carries them):
 * their syntax and restriction-only chain are checked, but their final value is not enforced, since they
 * govern access to a different service. A `<other>_...` condition for an unlisted service is unknown.
 */

/**
 * What is being accessed: the route's service, its tier and, when the route declares one, its capability.
 * `tier` is aperture's `services=<name>:<tier>` tier: a token opens a resource of its service whose tier is
 * at or below the token's, so a token bought on a cheap base-tier route never opens a dearer higher tier.
 */
export interface CaveatTarget {
  service: string;
  /** The lowest tier that opens this resource; unset means 0 (every token of the service). */
  tier?: number;
  capability?: string;
}

/** Everything a satisfier may look at; `now` comes from the injected clock, never `Date.now()`. */
export interface CaveatContext extends CaveatTarget {
  now: Date;
  /** The preimage the client presented; a `preimage=` caveat must match it. */
  preimage: Uint8Array;
  /**
   * The grant the root-key store recorded for this token at minting, if any. An `oauth_grant=` caveat must
   * equal it: the caveat is client-appendable, so it can only repeat the stored binding, never create one.
   */
  boundGrant?: string;
}

/**
 * A configured constraint: returns `undefined` when `value` is satisfied, otherwise a short reason (no
 * secrets; it may be logged). Every caveat of the condition must pass, so appending can only restrict.
 */
export type ConstraintCheck = (value: string, target: CaveatTarget) => string | undefined;

/** Which optional conditions the deployment understands. Checked once by `assertSatisfierConfig`. */
export interface SatisfierConfig {
  /** Configured constraints by condition (aperture's per-service `constraints`). */
  constraints?: Readonly<Record<string, ConstraintCheck>>;
  /** `oauth_grant` is known only when true; the caller must then check the returned grant is live. */
  acceptOAuthGrant?: boolean;
}

/** One condition's rules; both methods throw an `L402Error` with the reason. */
export interface Satisfier {
  /** `current` must not be wider than `previous` (same condition, `current` came later). */
  satisfyPrevious(previous: string, current: string): void;
  /** The last caveat of the condition, checked against the request. */
  satisfyFinal(value: string): void;
}

/**
 * What the caveats established, for the verified-token description. There is deliberately no grant here:
 * the binding comes from the root-key record (`CaveatContext.boundGrant`), never from caveat text.
 */
export interface CaveatOutcome {
  tier: number;
  /** The deciding capabilities list; empty when the token has no capabilities caveat (no restriction). */
  capabilities: string[];
  validUntil?: number;
}

/**
 * `services`: the target must be listed at a tier of at least `minTier`; a later list may only drop services
 * and keeps tiers.
 */
export function servicesSatisfier(target: string, minTier = 0): Satisfier {
  return {
    satisfyPrevious(previous, current) {
      const prev = decodeServicesValue(previous);
      for (const s of decodeServicesValue(current)) {
        if (!prev.some((p) => p.name === s.name && p.tier === s.tier)) {
          throw new CaveatFailed('services caveat widens an earlier one', CONDITION_SERVICES);
        }
      }
    },
    satisfyFinal(value) {
      const listed = decodeServicesValue(value).filter((s) => s.name === target);
      if (!listed.length) throw new WrongService('token is not valid for this service');
      if (!listed.some((s) => s.tier >= minTier)) {
        throw new WrongService(`token's tier ${Math.max(...listed.map((s) => s.tier))} is below this resource's tier ${minTier}`);
      }
    },
  };
}

/** `<service>_capabilities`: later lists are subsets; the required capability, if any, must be listed. */
export function capabilitiesSatisfier(condition: string, required: string | undefined): Satisfier {
  return {
    satisfyPrevious(previous, current) {
      const prev = decodeCapabilitiesValue(previous, condition);
      if (decodeCapabilitiesValue(current, condition).some((c) => !prev.includes(c))) {
        throw new CaveatFailed('capabilities caveat widens an earlier one', condition);
      }
    },
    satisfyFinal(value) {
      const list = decodeCapabilitiesValue(value, condition);
      if (required !== undefined && !list.includes(required)) {
        throw new CaveatFailed('token does not grant this capability', condition);
      }
    },
  };
}

/**
 * `<service>_valid_until`: valid while `now < valid_until` (aperture: `now.Before(expiry)`), and a later
 * caveat may not be later than an earlier one. `now` is undefined for another service's caveat: then only
 * syntax and the chain are checked.
 */
export function validUntilSatisfier(condition: string, now: Date | undefined): Satisfier {
  return {
    satisfyPrevious(previous, current) {
      if (decodeValidUntilValue(current, condition) > decodeValidUntilValue(previous, condition)) {
        throw new CaveatFailed('valid_until caveat widens an earlier one', condition);
      }
    },
    satisfyFinal(value) {
      const until = decodeValidUntilValue(value, condition);
      if (now !== undefined && !(now.getTime() < until * 1000)) {
        throw new ExpiredToken('token has expired', condition);
      }
    },
  };
}

/** Every caveat of the condition must pass `check` (all of them, so order cannot matter). */
function everyValue(check: (value: string) => void): Satisfier {
  return { satisfyPrevious: (previous) => check(previous), satisfyFinal: check };
}

function preimageSatisfier(preimage: Uint8Array): Satisfier {
  return everyValue((value) => {
    const given = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : undefined;
    if (!given || given.length !== preimage.length || !timingSafeEqual(given, preimage)) {
      throw new CaveatFailed('preimage caveat does not match the presented preimage', CONDITION_PREIMAGE);
    }
  });
}

/**
 * `oauth_grant`: every such caveat must name exactly the grant stored with the root key. A token minted
 * without a grant that carries one was extended by its holder (e.g. with a victim's grant id seen in a
 * challenge): refused, since honouring it would let the holder act as that grant's user.
 */
function oauthGrantSatisfier(boundGrant: string | undefined): Satisfier {
  return everyValue((value) => {
    if (boundGrant === undefined) throw new CaveatFailed('token was not minted for an OAuth grant', CONDITION_OAUTH_GRANT);
    if (value !== boundGrant) throw new CaveatFailed('oauth_grant caveat does not name the grant the token was minted for', CONDITION_OAUTH_GRANT);
  });
}

function constraintSatisfier(condition: string, check: ConstraintCheck, target: CaveatTarget): Satisfier {
  return everyValue((value) => {
    const failure = check(value, target);
    if (failure !== undefined) throw new CaveatFailed(failure, condition);
  });
}

/** Fails at boot on a constraint that would shadow a built-in condition or could never appear. */
export function assertSatisfierConfig(config: SatisfierConfig): void {
  for (const condition of Object.keys(config.constraints ?? {})) {
    if (condition === '' || condition.includes('=') || isReservedCondition(condition)) {
      throw new TypeError(`constraint condition ${JSON.stringify(condition)} is reserved or invalid`);
    }
  }
}

/** The satisfier registry: maps a condition to its rules for this request, or undefined if unknown. */
export function resolveSatisfier(
  condition: string,
  ctx: CaveatContext,
  listed: ReadonlySet<string>,
  config: SatisfierConfig,
): Satisfier | undefined {
  if (condition === CONDITION_SERVICES) return servicesSatisfier(ctx.service, ctx.tier ?? 0);
  if (condition === ctx.service + CAPABILITIES_SUFFIX) return capabilitiesSatisfier(condition, ctx.capability);
  if (condition === ctx.service + VALID_UNTIL_SUFFIX) return validUntilSatisfier(condition, ctx.now);
  if (condition === CONDITION_PREIMAGE) return preimageSatisfier(ctx.preimage);
  if (condition === CONDITION_OAUTH_GRANT) return config.acceptOAuthGrant ? oauthGrantSatisfier(ctx.boundGrant) : undefined;
  const check = config.constraints && Object.hasOwn(config.constraints, condition) ? config.constraints[condition] : undefined;
  if (check) return constraintSatisfier(condition, check, ctx);
  if (condition.endsWith(CAPABILITIES_SUFFIX) && listed.has(condition.slice(0, -CAPABILITIES_SUFFIX.length))) {
    return capabilitiesSatisfier(condition, undefined);
  }
  if (condition.endsWith(VALID_UNTIL_SUFFIX) && listed.has(condition.slice(0, -VALID_UNTIL_SUFFIX.length))) {
    return validUntilSatisfier(condition, undefined);
  }
  return undefined;
}

/**
 * Checks all caveats against the request. Order of refusals: unknown conditions first (before anything
 * is trusted), then `services` (wrong_service is the most useful answer), then the rest in token order.
 * A token with no `services` caveat is refused as `wrong_service`: satgate always mints one.
 */
export function checkCaveats(caveats: readonly Caveat[], ctx: CaveatContext, config: SatisfierConfig): CaveatOutcome {
  const groups = new Map<string, string[]>();
  for (const { condition, value } of caveats) {
    const values = groups.get(condition);
    if (values) values.push(value);
    else groups.set(condition, [value]);
  }
  const services = groups.get(CONDITION_SERVICES);
  if (!services) throw new WrongService('token names no service');
  const listed = new Set<string>();
  for (const value of services) for (const s of decodeServicesValue(value)) listed.add(s.name);

  const resolved: [Satisfier, string[]][] = [];
  for (const [condition, values] of groups) {
    const satisfier = resolveSatisfier(condition, ctx, listed, config);
    if (!satisfier) throw new UnknownCaveat('token carries a caveat this server does not understand', condition);
    if (condition === CONDITION_SERVICES) resolved.unshift([satisfier, values]);
    else resolved.push([satisfier, values]);
  }
  for (const [satisfier, values] of resolved) {
    for (let i = 1; i < values.length; i++) satisfier.satisfyPrevious(values[i - 1], values[i]);
    satisfier.satisfyFinal(values[values.length - 1]);
  }

  const last = (condition: string): string | undefined => groups.get(condition)?.at(-1);
  const finalServices = decodeServicesValue(services[services.length - 1]);
  const capabilities = last(ctx.service + CAPABILITIES_SUFFIX);
  const validUntil = last(ctx.service + VALID_UNTIL_SUFFIX);
  const outcome: CaveatOutcome = {
    tier: finalServices.find((s) => s.name === ctx.service)?.tier ?? 0,
    capabilities: capabilities === undefined ? [] : capabilities.split(','),
  };
  if (validUntil !== undefined) outcome.validUntil = Number(validUntil);
  return outcome;
}
