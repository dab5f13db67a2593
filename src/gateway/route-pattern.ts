/**
 * Path patterns of gateway routes: `/invoices/:payment_hash`, `/lndhub/*`. Plain TypeScript (no Nest) so the
 * matcher on the hot path is a precompiled RegExp and the admin API and the table share one grammar.
 *
 * Grammar: a pattern starts with `/`; each segment is literal text, a parameter `:name` (one whole segment),
 * or — as the last segment only — `*`, which matches the rest of the path (also nothing: `/api/*` matches
 * `/api`, `/api/` and `/api/a/b`). Matching runs on the canonical path (core/http/canonical-path.ts), with
 * literal segments compared case-insensitively, as satgate's own router compares its controller routes.
 */

/** Why a pattern or a rewrite template was refused; the admin API reports it against the field. */
export class PatternError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'PatternError';
  }
}

/** A compiled path pattern. */
export interface PathPattern {
  source: string;
  /** Parameter names in order of appearance. */
  params: string[];
  /** Whether the pattern ends in `*`. */
  wildcard: boolean;
  /** The first segment when it is literal text (used to refuse satgate's own prefixes), else undefined. */
  firstLiteral: string | undefined;
  regex: RegExp;
}

/** What a matched path bound: parameter values (raw, percent-encoded as received) and the `*` rest. */
export interface PathBindings {
  params: Record<string, string>;
  rest?: string;
}

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** RFC 3986 pchar (unreserved, sub-delims, ':' '@', pct-encoded) minus ':' which introduces a parameter. */
const LITERAL_SEGMENT = /^(?:[A-Za-z0-9._~!$&'()+,;=@-]|%[0-9A-Fa-f]{2})*$/;

/** Compiles a route's path pattern, or throws PatternError naming what is wrong. */
export function compilePattern(source: string): PathPattern {
  if (typeof source !== 'string' || !source.startsWith('/')) throw new PatternError('must start with "/"');
  if (source.length > 512) throw new PatternError('must be at most 512 characters');
  const segments = source.slice(1).split('/');
  const params: string[] = [];
  let regex = '^';
  let wildcard = false;
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === '*') {
      if (!last) throw new PatternError('"*" may only be the last segment');
      wildcard = true;
      // `/api/*` also matches `/api` itself; the rest is captured without its leading slash.
      regex += '(?:/(.*))?';
      return;
    }
    if (segment.startsWith(':')) {
      const name = segment.slice(1);
      if (!PARAM_NAME.test(name)) throw new PatternError(`parameter "${segment}" must be ":" followed by a name`);
      if (params.includes(name)) throw new PatternError(`parameter ":${name}" appears twice`);
      params.push(name);
      regex += '/([^/]+)';
      return;
    }
    if (segment === '.' || segment === '..') throw new PatternError('must not contain "." or ".." segments');
    if (segment === '' && !last) throw new PatternError('must not contain empty segments ("//")');
    if (!LITERAL_SEGMENT.test(segment)) throw new PatternError(`segment "${segment}" has characters not allowed in a path`);
    regex += `/${escapeRegex(segment)}`;
  });
  const first = segments[0];
  const firstLiteral = first === '*' || first.startsWith(':') ? undefined : first;
  return { source, params, wildcard, firstLiteral, regex: new RegExp(`${regex}$`, 'i') };
}

/** Binds a request path (no query string) against a compiled pattern; undefined when it does not match. */
export function matchPattern(pattern: PathPattern, path: string): PathBindings | undefined {
  const m = pattern.regex.exec(path);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  pattern.params.forEach((name, i) => (params[name] = m[i + 1]));
  return pattern.wildcard ? { params, rest: m[pattern.params.length + 1] ?? '' } : { params };
}

/**
 * Checks a rewrite template against its pattern: same grammar, and it may only use the parameters (and the
 * `*`) the pattern binds, so a rewrite can never produce a path with an unfilled hole.
 */
export function checkRewrite(template: string, pattern: PathPattern): void {
  if (!template.startsWith('/')) throw new PatternError('must start with "/"');
  for (const segment of template.slice(1).split('/')) {
    if (segment === '*') {
      if (!pattern.wildcard) throw new PatternError('uses "*" but the path has no "*"');
    } else if (segment.startsWith(':')) {
      if (!pattern.params.includes(segment.slice(1))) throw new PatternError(`uses "${segment}" which the path does not bind`);
    } else if (segment === '.' || segment === '..' || !LITERAL_SEGMENT.test(segment)) {
      throw new PatternError(`segment "${segment}" is not allowed`);
    }
  }
  if (template.split('/').filter((s) => s === '*').length > 1) throw new PatternError('uses "*" more than once');
}

/** Fills a (checked) rewrite template with a match's bindings. `/*` with an empty rest gives `/`. */
export function applyRewrite(template: string, bindings: PathBindings): string {
  const out = template
    .slice(1)
    .split('/')
    .map((segment) => {
      if (segment === '*') return bindings.rest ?? '';
      if (segment.startsWith(':')) return bindings.params[segment.slice(1)] ?? '';
      return segment;
    })
    .join('/');
  return `/${out}`;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
