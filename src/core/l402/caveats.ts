import { CaveatFailed, UnknownCaveat } from './errors';

/**
 * Caveat text as aperture writes it: `condition=value`, split on the first `=` (so a value may itself
 * contain `=`), plus builders and value parsers for the conditions satgate mints. Parsers throw
 * `CaveatFailed`: a condition we know with a value we cannot read must refuse the token, not pass it.
 */

/** One first-party caveat, decoded. */
export interface Caveat {
  condition: string;
  value: string;
}

/** Which services (and tier) a token may access; aperture's `CondServices`. */
export const CONDITION_SERVICES = 'services';
/** `<service>_capabilities`: which capabilities of that service the token may use. */
export const CAPABILITIES_SUFFIX = '_capabilities';
/** `<service>_valid_until`: unix seconds after which the token no longer works for that service. */
export const VALID_UNTIL_SUFFIX = '_valid_until';
/** aperture's `PreimageKey`: gRPC clients put the preimage in the macaroon instead of a header. */
export const CONDITION_PREIMAGE = 'preimage';
/** satgate's binding of an L402 to an OAuth grant (`both` routes, docs/architecture.md). */
export const CONDITION_OAUTH_GRANT = 'oauth_grant';

/**
 * Conditions with built-in meaning. A configured constraint may not use one: it would shadow the
 * built-in check (or be shadowed by it).
 */
export function isReservedCondition(condition: string): boolean {
  return (
    condition === CONDITION_SERVICES ||
    condition === CONDITION_PREIMAGE ||
    condition === CONDITION_OAUTH_GRANT ||
    condition.endsWith(CAPABILITIES_SUFFIX) ||
    condition.endsWith(VALID_UNTIL_SUFFIX)
  );
}

/** A service as named in a `services` caveat. */
export interface ServiceTier {
  name: string;
  tier: number;
}

/** Renders `condition=value`. */
export function encodeCaveat(caveat: Caveat): string {
  return `${caveat.condition}=${caveat.value}`;
}

/**
 * Splits on the first `=`: `expiration=1337=` is condition `expiration`, value `1337=`. Text without `=`
 * (e.g. `expiration:1337`) has no condition we could look up, so it is an `UnknownCaveat`.
 */
export function decodeCaveat(text: string): Caveat {
  const eq = text.indexOf('=');
  if (eq < 0) throw new UnknownCaveat('caveat is not of the form condition=value');
  return { condition: text.slice(0, eq), value: text.slice(eq + 1) };
}

// Names travel inside `a:0,b:1` lists and `<name>_valid_until=` conditions, where none of these
// characters can be escaped; aperture refuses `,` and `:` in names for the same reason.
const SERVICE_NAME = /^[^\s,:=]+$/;
const CAPABILITY_NAME = /^[^\s,=]+$/;
const TIER = /^[0-9]{1,3}$/;

/** Checks a service name before it is put in a caveat; a bad name is a configuration error. */
export function assertServiceName(name: string): void {
  if (!SERVICE_NAME.test(name)) throw new TypeError(`invalid L402 service name ${JSON.stringify(name)}`);
}

/** `services=<name>:<tier>[,<name>:<tier>...]`, the first caveat aperture mints. */
export function servicesCaveat(services: readonly ServiceTier[]): Caveat {
  if (services.length === 0) throw new TypeError('a services caveat needs at least one service');
  const value = services
    .map((s) => {
      assertServiceName(s.name);
      if (!Number.isInteger(s.tier) || s.tier < 0 || s.tier > 255) throw new TypeError('tier must be 0..255');
      return `${s.name}:${s.tier}`;
    })
    .join(',');
  return { condition: CONDITION_SERVICES, value };
}

/**
 * Parses a services value with aperture's rules (valid: `a:0`, `a:0,b:1,c:0`; invalid: ``, `:0`, `a`,
 * `a:`, `a:b`, `,,`). Tiers are aperture's uint8; a repeated name is refused as ambiguous.
 */
export function decodeServicesValue(value: string): ServiceTier[] {
  if (value === '') throw new CaveatFailed('services caveat names no service', CONDITION_SERVICES);
  const out: ServiceTier[] = [];
  for (const raw of value.split(',')) {
    const parts = raw.split(':');
    if (parts.length !== 2 || !SERVICE_NAME.test(parts[0]) || !TIER.test(parts[1]) || Number(parts[1]) > 255) {
      throw new CaveatFailed('services caveat entry must be name:tier', CONDITION_SERVICES);
    }
    if (out.some((s) => s.name === parts[0])) {
      throw new CaveatFailed('services caveat repeats a service', CONDITION_SERVICES);
    }
    out.push({ name: parts[0], tier: Number(parts[1]) });
  }
  return out;
}

/** `<service>_capabilities=<a,b>`: minted when the resource declares capabilities. */
export function capabilitiesCaveat(service: string, capabilities: readonly string[]): Caveat {
  assertServiceName(service);
  if (capabilities.length === 0) throw new TypeError('a capabilities caveat needs at least one capability');
  for (const c of capabilities) {
    if (!CAPABILITY_NAME.test(c)) throw new TypeError(`invalid capability ${JSON.stringify(c)}`);
  }
  return { condition: service + CAPABILITIES_SUFFIX, value: capabilities.join(',') };
}

/** Parses a capabilities value; an empty entry means a malformed caveat. */
export function decodeCapabilitiesValue(value: string, condition: string): string[] {
  const list = value.split(',');
  if (list.some((c) => !CAPABILITY_NAME.test(c))) {
    throw new CaveatFailed('capabilities caveat has an empty or invalid entry', condition);
  }
  return list;
}

/** `<service>_valid_until=<unix seconds>`, aperture's timeout caveat (seconds, not boltwall's ms). */
export function validUntilCaveat(service: string, unixSeconds: number): Caveat {
  assertServiceName(service);
  if (!Number.isSafeInteger(unixSeconds) || unixSeconds < 0) throw new TypeError('valid_until must be unix seconds');
  return { condition: service + VALID_UNTIL_SUFFIX, value: String(unixSeconds) };
}

/** Parses unix seconds; only plain decimal digits, so `1e3`, `+5` or ` 5` are refused. */
export function decodeValidUntilValue(value: string, condition: string): number {
  const n = /^[0-9]{1,15}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new CaveatFailed('valid_until is not unix seconds', condition);
  return n;
}

/**
 * aperture's `now + timeout` rounded down to whole seconds (Go's `Time.Unix()`), so a lifetime of T
 * seconds minted at t gives `valid_until = floor(t) + T`.
 */
export function validUntilFromLifetime(now: Date, lifetimeSeconds: number): number {
  return Math.floor(now.getTime() / 1000) + lifetimeSeconds;
}

/** `oauth_grant=<grant id>`: binds the L402 to an OAuth grant so revoking the grant kills the token. */
export function oauthGrantCaveat(grantId: string): Caveat {
  if (!/^[^\s,=]+$/.test(grantId)) throw new TypeError('invalid OAuth grant id');
  return { condition: CONDITION_OAUTH_GRANT, value: grantId };
}

/** `preimage=<hex>`: how aperture's gRPC clients carry the preimage inside the macaroon. */
export function preimageCaveat(preimage: Uint8Array): Caveat {
  return { condition: CONDITION_PREIMAGE, value: Buffer.from(preimage).toString('hex') };
}
