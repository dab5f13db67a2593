/**
 * Scope grammar and set arithmetic (RFC 6749 §3.3). Scopes travel as one space-delimited string and
 * live everywhere else as a normalized list: validated, deduplicated and sorted, so two grants with
 * the same rights always store and print the same `scope` string.
 */
import { InvalidScope } from './errors';

/** `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )` — printable ASCII except space, `"` and `\` (RFC 6749 §3.3). */
export const SCOPE_TOKEN_PATTERN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** True when `token` is one RFC 6749 §3.3 scope-token. */
export function isScopeToken(token: string): boolean {
  return SCOPE_TOKEN_PATTERN.test(token);
}

/**
 * How an error description speaks of scopes the request got wrong: by count, never by value. Descriptions
 * travel back in redirects, JSON bodies and the sign-in pages; echoing a value lets a request put its own
 * text (`<script>`, a fake instruction, kilobytes) into satgate's answer. The parameter is named instead.
 */
export function scopesForError(scopes: readonly string[]): string {
  return scopes.length === 1 ? '1 scope' : `${scopes.length} scopes`;
}

/** Code-unit order; scope tokens are ASCII, so this is byte order and locale-independent. */
function compareScopes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Validates, deduplicates and sorts a scope list. An invalid token is an `invalid_scope`
 * ("malformed", RFC 6749 §5.2); the description says so without repeating the token.
 */
export function normalizeScopes(scopes: Iterable<string>): string[] {
  const unique = new Set<string>();
  for (const scope of scopes) {
    if (!isScopeToken(scope)) {
      throw new InvalidScope('scope holds a token outside the RFC 6749 §3.3 scope-token grammar');
    }
    unique.add(scope);
  }
  return [...unique].sort(compareScopes);
}

/**
 * Parses a `scope` parameter into a normalized list; undefined or empty gives `[]` (RFC 6749 §3.3
 * leaves the default to the server: the caller applies it). Tokens are separated by SP (%x20);
 * repeated, leading and trailing spaces are tolerated because they cannot change the meaning,
 * while tabs, newlines and any other character outside the token grammar are `invalid_scope`.
 */
export function parseScope(value: string | undefined): string[] {
  if (value === undefined) return [];
  return normalizeScopes(value.split(' ').filter((token) => token !== ''));
}

/** The wire form (RFC 6749 §3.3): normalized tokens joined by single spaces; `''` for none. */
export function formatScope(scopes: Iterable<string>): string {
  return normalizeScopes(scopes).join(' ');
}

/** The members of `required` absent from `granted`, in `required`'s order (feeds `InsufficientScope`). */
export function missingScopes(required: Iterable<string>, granted: Iterable<string>): string[] {
  const have = new Set(granted);
  return [...new Set(required)].filter((scope) => !have.has(scope));
}

/** True when every scope in `subset` is in `superset` (the empty set is a subset of anything). */
export function isScopeSubset(subset: Iterable<string>, superset: Iterable<string>): boolean {
  return missingScopes(subset, superset).length === 0;
}

/**
 * Throws `invalid_scope` counting what `requested` has beyond `allowed` — for a client asking for
 * more than it is registered for, or a refresh asking for more than was granted (RFC 6749 §6).
 */
export function assertScopeSubset(requested: Iterable<string>, allowed: Iterable<string>, context = 'allowed'): void {
  const extra = missingScopes(requested, allowed);
  if (extra.length > 0) throw new InvalidScope(`scope asks for ${scopesForError(extra)} beyond what is ${context}`);
}

/**
 * The scopes of a refreshed token (RFC 6749 §6): an omitted `scope` keeps the original grant;
 * a given one may only narrow it — "MUST NOT include any scope not originally granted" — so a
 * widening request is an `invalid_scope`. An explicit empty result is impossible: an empty `scope`
 * parameter counts as omitted (RFC 6749 §3.1).
 */
export function narrowScopes(requested: string | undefined, granted: readonly string[]): string[] {
  const wanted = parseScope(requested);
  if (wanted.length === 0) return normalizeScopes(granted);
  assertScopeSubset(wanted, granted, 'originally granted');
  return wanted;
}
