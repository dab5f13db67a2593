/**
 * The one canonical form of a request path, built before any routing decision so that the route a policy
 * checked is the resource the origin serves (origins such as Fastify, Express or Go's net/http decode paths
 * before they route). Framework-free: the gateway matches on this form and forwards exactly it.
 *
 * Normalisation (RFC 3986 §6.2.2):
 * - percent-encoded unreserved characters (ALPHA DIGIT `-` `.` `_` `~`, §2.3) are decoded, every other
 *   escape keeps its byte with upper-case hex (§6.2.2.1), and bytes not allowed raw in a path are encoded;
 * - empty segments (`//`) collapse, and a trailing `/` is dropped (except for the root `/`), because origins
 *   disagree on both (Express ignores them, Fastify does not);
 * Refused (the reason is returned): dot segments (also `%2E`), encoded `/` or `\` (`%2F`, `%5C`), a raw `\`
 * (WHATWG URL parsing reads it as `/`), `;` (a matrix parameter some origins strip before routing), a
 * double-encoded escape (`%25` followed by two hex digits, which a second decode turns into a delimiter),
 * NUL and control characters raw or encoded, malformed escapes, and a path that does not start with `/`.
 * Case is kept; route matching compares literal segments case-insensitively instead (see route-pattern.ts).
 */

export type CanonicalPath = { ok: true; path: string } | { ok: false; reason: string };

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
/** RFC 3986 pchar minus pct-encoded and `;` (refused), i.e. what may stay raw in a canonical segment. */
const RAW_ALLOWED = /^[A-Za-z0-9\-._~!$&'()*+,=:@]$/;
const HEX2 = /^[0-9A-Fa-f]{2}$/;

function refuse(reason: string): CanonicalPath {
  return { ok: false, reason };
}

function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f;
}

/**
 * Canonicalises a raw path (no query string; Node gives its bytes as latin1 characters). Pure and
 * allocation-light: the hot path calls it once per request.
 */
export function canonicalPath(raw: string): CanonicalPath {
  if (!raw.startsWith('/')) return refuse('the path must start with "/"');
  const segments: string[] = [];
  for (const segment of raw.slice(1).split('/')) {
    if (segment === '') continue;
    let out = '';
    for (let i = 0; i < segment.length; i++) {
      const ch = segment[i];
      const code = ch.charCodeAt(0);
      if (ch === '%') {
        const hex = segment.slice(i + 1, i + 3);
        if (!HEX2.test(hex)) return refuse('the path has a malformed percent-encoding');
        const byte = parseInt(hex, 16);
        i += 2;
        if (isControl(byte)) return refuse('the path must not contain NUL or control characters');
        if (byte === 0x2f || byte === 0x5c) return refuse('the path must not contain an encoded slash or backslash (%2F, %5C)');
        if (byte === 0x25 && HEX2.test(segment.slice(i + 1, i + 3))) return refuse('the path must not contain a double-encoded escape (%25XX)');
        const decoded = String.fromCharCode(byte);
        out += UNRESERVED.test(decoded) ? decoded : `%${hex.toUpperCase()}`;
        continue;
      }
      if (code > 0xff) return refuse('the path has characters outside a byte');
      if (isControl(code)) return refuse('the path must not contain NUL or control characters');
      if (ch === '\\') return refuse('the path must not contain a backslash');
      if (ch === ';') return refuse('the path must not contain ";" parameters');
      out += RAW_ALLOWED.test(ch) ? ch : `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    if (out === '.' || out === '..') return refuse('the path must not contain "." or ".." segments');
    segments.push(out);
  }
  return { ok: true, path: `/${segments.join('/')}` };
}
