/**
 * satgate's own top-level paths, which gateway routes must never shadow: a route under `/oauth` could capture
 * token requests, one under `/admin` the admin API. The admin API refuses routes whose first segment is one of
 * these, and the gateway never matches a request path under them (so `/*` or `/:tenant/token` means "everything
 * else" and cannot capture `/oauth/token`).
 */
export const SATGATE_PREFIXES: readonly string[] = Object.freeze([
  'oauth',
  'admin',
  'health',
  'metrics',
  'demo',
  'clients',
  '.well-known',
  'docs',
  'docs-json',
]);

/**
 * The set of reserved first segments: the fixed list plus the first segment of every controller route the app
 * registered (so a feature added later is protected without editing this file). Compared case-insensitively,
 * so `/OAuth/token` is refused too even though satgate's router is case-sensitive.
 */
export class ReservedPaths {
  private readonly segments: ReadonlySet<string>;

  constructor(extra: Iterable<string> = []) {
    const all = new Set(SATGATE_PREFIXES);
    for (const s of extra) if (s && !s.startsWith(':') && s !== '*') all.add(s.toLowerCase());
    this.segments = all;
  }

  /** The reserved first segment a request path (or a pattern's literal first segment) falls under, if any. */
  prefixOf(path: string): string | undefined {
    const end = path.indexOf('/', 1);
    const first = (end < 0 ? path.slice(1) : path.slice(1, end)).toLowerCase();
    return this.segments.has(first) ? first : undefined;
  }

  /** Same check for a bare first segment. */
  has(segment: string): boolean {
    return this.segments.has(segment.toLowerCase());
  }

  list(): string[] {
    return [...this.segments].sort();
  }
}
