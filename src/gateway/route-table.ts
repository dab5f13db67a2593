import type { AccessPolicy, L402Requirement, PolicyMode } from '../access/access-policy';
import { canonicalPath } from '../core/http/canonical-path';
import { applyRewrite, compilePattern, matchPattern, PathBindings, PathPattern } from './route-pattern';
import type { ReservedPaths } from './reserved-paths';

/** Modes a gateway route may carry (docs/architecture.md: `none | oauth | l402 | both | either`). */
export const ROUTE_MODES = ['none', 'oauth', 'l402', 'both', 'either'] as const satisfies readonly PolicyMode[];
export type RouteMode = (typeof ROUTE_MODES)[number];

/** Methods a route may list (stored upper case; the admin API accepts any case). */
export const ROUTE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Symbolic origin of the built-in demo origin, resolved at load time (its port changes on every start). */
export const DEMO_ORIGIN = 'demo:';

/** Origin timeout when a route sets none. */
export const DEFAULT_ORIGIN_TIMEOUT_MS = 30_000;

/** A gateway route as stored: what the admin API manages and the table compiles. */
export interface GatewayRouteDef {
  id: string;
  name: string;
  /** Upper-case HTTP methods; empty means every method. */
  methods: string[];
  path: string;
  /** Only requests for this host name (case-insensitive; with `:port` the port must match too). */
  host: string | null;
  /** `http(s)://host[:port][/base]` or DEMO_ORIGIN. */
  origin: string;
  /** Template of the forwarded path (`/v2/:payment_hash`, `/*`); unset forwards the path unchanged. */
  rewrite: string | null;
  mode: RouteMode;
  scopes: string[];
  price: number | null;
  lifetime: number | null;
  service: string | null;
  tier: number | null;
  capabilities: string[];
  capability: string | null;
  timeoutMs: number | null;
  enabled: boolean;
  position: number;
}

/** A route ready for the hot path: pattern compiled, policy built once, origin split. */
export interface CompiledRoute {
  id: string;
  name: string;
  methods: ReadonlySet<string> | undefined;
  host: string | undefined;
  hostHasPort: boolean;
  pattern: PathPattern;
  rewrite: string | undefined;
  /** `http://host:port` (undefined when a demo route is loaded while no demo origin runs). */
  origin: string | undefined;
  /** Path prefix of the origin URL, without trailing slash (`''` for none). */
  originBase: string;
  policy: AccessPolicy;
  timeoutMs: number;
  enabled: boolean;
}

/** The outcome of matching one request. */
export type TableMatch =
  /** `path` is the canonical path (core/http/canonical-path.ts): what was matched and what is forwarded. */
  | { kind: 'route'; route: CompiledRoute; bindings: PathBindings; path: string }
  | { kind: 'none' }
  /** The path could reach outside a route's prefix at an origin that normalizes it; `reason` says how. */
  | { kind: 'bad_path'; reason: string };

/** A host name as routes compare it: lower case, without the trailing dot of a fully qualified name. */
export function canonicalHost(host: string): string {
  const lower = host.toLowerCase();
  const port = /:\d+$/.exec(lower);
  const name = port ? lower.slice(0, port.index) : lower;
  return name.replace(/\.+$/, '') + (port ? port[0] : '');
}

/** Builds the access policy a route's columns describe; unused columns of other modes are left out. */
export function policyOf(def: Pick<GatewayRouteDef, 'mode' | 'scopes' | 'price' | 'lifetime' | 'service' | 'tier' | 'capabilities' | 'capability' | 'name'>): AccessPolicy {
  const policy: AccessPolicy = { mode: def.mode };
  if (def.mode === 'oauth' || def.mode === 'both' || def.mode === 'either') policy.scopes = [...def.scopes];
  if (def.mode === 'l402' || def.mode === 'both' || def.mode === 'either') {
    const l402: L402Requirement = { price: def.price ?? 0, service: def.service ?? def.name };
    if (def.lifetime !== null) l402.lifetime = def.lifetime;
    if (def.tier !== null) l402.tier = def.tier;
    if (def.capabilities.length) l402.capabilities = [...def.capabilities];
    if (def.capability !== null) l402.capability = def.capability;
    policy.l402 = l402;
  }
  return Object.freeze(policy);
}

/** Compiles one stored route. `demoOrigin` resolves DEMO_ORIGIN. */
export function compileRoute(def: GatewayRouteDef, demoOrigin?: string): CompiledRoute {
  const target = def.origin === DEMO_ORIGIN ? demoOrigin : def.origin;
  let origin: string | undefined;
  let originBase = '';
  if (target) {
    const url = new URL(target);
    origin = `${url.protocol}//${url.host}`;
    originBase = url.pathname.replace(/\/+$/, '');
  }
  const host = def.host ? canonicalHost(def.host) || undefined : undefined;
  return {
    id: def.id,
    name: def.name,
    methods: def.methods.length ? new Set(def.methods.map((m) => m.toUpperCase())) : undefined,
    host,
    hostHasPort: Boolean(host && /:\d+$/.test(host)),
    pattern: compilePattern(def.path),
    rewrite: def.rewrite ?? undefined,
    origin,
    originBase,
    policy: policyOf(def),
    timeoutMs: def.timeoutMs ?? DEFAULT_ORIGIN_TIMEOUT_MS,
    enabled: def.enabled,
  };
}

/**
 * The in-memory route table: first match by position. Disabled routes stay in the table and match, so the
 * gateway answers 404 for them instead of letting a later, perhaps weaker, route (a `/*` catch-all) serve
 * the path.
 */
export class RouteTable {
  readonly routes: readonly CompiledRoute[];

  constructor(
    defs: readonly GatewayRouteDef[],
    private readonly reserved: ReservedPaths,
    demoOrigin?: string,
  ) {
    const sorted = [...defs].sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
    this.routes = Object.freeze(sorted.map((d) => compileRoute(d, demoOrigin)));
  }

  /**
   * Finds the route for a request. `hostname` is without port, `host` with (as the client or, behind a trusted
   * proxy, X-Forwarded-Host named it); `raw` is the raw path without query string. Routes are matched on
   * its canonical form only, and hosts on their canonical name.
   */
  match(method: string, host: string, hostname: string, raw: string): TableMatch {
    const canonical = canonicalPath(raw);
    if (!canonical.ok) return { kind: 'bad_path', reason: canonical.reason };
    const path = canonical.path;
    if (this.reserved.prefixOf(path)) return { kind: 'none' };
    const names = { host: canonicalHost(host), hostname: canonicalHost(hostname) };
    for (const route of this.routes) {
      // HEAD is answered wherever GET is (RFC 9110 §9.3.2).
      if (route.methods && !route.methods.has(method) && !(method === 'HEAD' && route.methods.has('GET'))) continue;
      if (route.host && route.host !== (route.hostHasPort ? names.host : names.hostname)) continue;
      const bindings = matchPattern(route.pattern, path);
      if (bindings) return { kind: 'route', route, bindings, path };
    }
    return { kind: 'none' };
  }
}

/** The path (and query) to request from the route's origin. */
export function upstreamPath(route: CompiledRoute, bindings: PathBindings, path: string, query: string): string {
  const rewritten = route.rewrite ? applyRewrite(route.rewrite, bindings) : path;
  return `${route.originBase}${rewritten}${query}`;
}
