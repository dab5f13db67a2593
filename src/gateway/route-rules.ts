import { canonicalPath } from '../core/http/canonical-path';
import { isScopeToken } from '../core/oauth/scopes';
import { InvalidInput } from '../common/validation';
import { checkRewrite, compilePattern, PatternError } from './route-pattern';
import type { ReservedPaths } from './reserved-paths';
import { DEMO_ORIGIN, GatewayRouteDef, ROUTE_METHODS } from './route-table';

/** Route names double as L402 service names (`services=<name>:<tier>`), so they avoid `:` `,` `=` and spaces. */
export const ROUTE_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** A capability or service token as it appears inside L402 caveats. */
const CAVEAT_TOKEN = /^[A-Za-z0-9._-]{1,64}$/;
const HOST_PATTERN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::\d{1,5})?$/;

/** Highest price of a route's L402, in sats (1 BTC); the column is int4. */
export const MAX_ROUTE_PRICE_SATS = 100_000_000;
/** Longest L402 lifetime a route may set: 10 years in seconds (fits the int4 column and a unix-seconds caveat). */
export const MAX_ROUTE_LIFETIME_SECONDS = 10 * 365 * 24 * 3600;
/** Highest service tier: aperture's tiers are uint8, and the core mints and parses no more. */
export const MAX_ROUTE_TIER = 255;

const L402_MODES = new Set(['l402', 'both', 'either']);
const OAUTH_MODES = new Set(['oauth', 'both', 'either']);

/**
 * The rules a gateway route must satisfy beyond field types, checked on create and on every update (against
 * the merged result). Throws InvalidInput naming the field, which the error filter renders as a 400.
 */
export function checkRoute(def: Omit<GatewayRouteDef, 'id'>, reserved: ReservedPaths): void {
  if (!ROUTE_NAME_PATTERN.test(def.name)) {
    throw new InvalidInput('name', 'name must be 1-64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit');
  }
  const badMethod = def.methods.find((m) => !(ROUTE_METHODS as readonly string[]).includes(m));
  if (badMethod !== undefined) throw new InvalidInput('methods', `"${badMethod}" is not one of ${ROUTE_METHODS.join(', ')}`);
  let pattern;
  try {
    pattern = compilePattern(def.path);
  } catch (err) {
    throw new InvalidInput('path', `path ${(err as PatternError).message}`);
  }
  checkCanonical('path', def.path);
  if (pattern.firstLiteral !== undefined && reserved.has(pattern.firstLiteral)) {
    throw new InvalidInput('path', `path would shadow satgate's own /${pattern.firstLiteral.toLowerCase()} endpoints`);
  }
  if (def.rewrite !== null) {
    try {
      checkRewrite(def.rewrite, pattern);
    } catch (err) {
      throw new InvalidInput('rewrite', `rewrite ${(err as PatternError).message}`);
    }
    checkCanonical('rewrite', def.rewrite);
  }
  checkOrigin(def.origin);
  if (def.host !== null && !HOST_PATTERN.test(def.host)) throw new InvalidInput('host', 'host must be a host name, optionally with :port');
  checkPolicy(def);
}

/**
 * Requests are matched on their canonical path (core/http/canonical-path.ts), so a pattern that is not itself
 * in that form (a trailing "/", an escape of an unreserved character, lower-case hex, ";") would never match
 * what it seems to say; a rewrite is what reaches the origin, so it must be canonical too. Refused, naming
 * the canonical spelling when there is one. `:name` and `*` are canonical characters, so holes pass as is.
 */
function checkCanonical(field: 'path' | 'rewrite', pattern: string): void {
  const canonical = canonicalPath(pattern);
  if (!canonical.ok) throw new InvalidInput(field, `${field} is not in canonical form: ${canonical.reason.replace(/^the path/, 'it')}`);
  if (canonical.path !== pattern) {
    throw new InvalidInput(field, `${field} is not in canonical form (requests are matched on it): write "${canonical.path}"`);
  }
}

function checkOrigin(origin: string): void {
  if (origin === DEMO_ORIGIN) return;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new InvalidInput('origin', `origin must be an http(s) URL or "${DEMO_ORIGIN}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidInput('origin', 'origin must be an http or https URL');
  if (url.username || url.password) throw new InvalidInput('origin', 'origin must not carry credentials');
  if (url.search || url.hash) throw new InvalidInput('origin', 'origin must not have a query or fragment');
}

function checkPolicy(def: Omit<GatewayRouteDef, 'id'>): void {
  const needsL402 = L402_MODES.has(def.mode);
  if (def.scopes.length && !OAUTH_MODES.has(def.mode)) {
    throw new InvalidInput('scopes', `mode ${def.mode} takes no scopes (use oauth, both or either)`);
  }
  const bad = def.scopes.find((s) => !isScopeToken(s));
  if (bad !== undefined) throw new InvalidInput('scopes', `"${bad}" is not a valid scope`);
  if (needsL402 && def.price === null) throw new InvalidInput('price', `mode ${def.mode} needs a price in satoshis`);
  // The DTO checks these too; repeated here so no path (a merged PATCH, a seeder) can store a route whose
  // challenge would fail when minted.
  checkWhole('price', def.price, 1, MAX_ROUTE_PRICE_SATS);
  checkWhole('lifetime', def.lifetime, 1, MAX_ROUTE_LIFETIME_SECONDS);
  checkWhole('tier', def.tier, 0, MAX_ROUTE_TIER);
  const l402Fields = ['price', 'lifetime', 'tier', 'capability'] as const;
  if (!needsL402) {
    const stray = l402Fields.find((f) => def[f] !== null) ?? (def.capabilities.length ? 'capabilities' : undefined);
    if (stray) throw new InvalidInput(stray, `mode ${def.mode} takes no ${stray} (use l402, both or either)`);
  }
  if (def.service !== null && !CAVEAT_TOKEN.test(def.service)) {
    throw new InvalidInput('service', 'service must be 1-64 letters, digits, ".", "_" or "-"');
  }
  const badCap = def.capabilities.find((c) => !CAVEAT_TOKEN.test(c));
  if (badCap !== undefined) throw new InvalidInput('capabilities', `"${badCap}" is not a valid capability`);
  if (def.capability !== null && !def.capabilities.includes(def.capability)) {
    throw new InvalidInput('capability', 'capability must be one of the capabilities the token is minted with');
  }
}

function checkWhole(field: string, value: number | null, min: number, max: number): void {
  if (value === null) return;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidInput(field, `${field} must be a whole number from ${min} to ${max}`);
  }
}
