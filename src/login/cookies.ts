/**
 * Just enough cookie handling for the login pages, without registering a Fastify plugin from a Nest module:
 * read the `Cookie` request header (RFC 6265 §5.4) and write `Set-Cookie` values (RFC 6265 §4.1).
 */

/** Name -> value of every cookie in a `Cookie` header. The first occurrence of a name wins (RFC 6265 §5.4 order: most specific path first). */
export function parseCookies(header: string | string[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const text = Array.isArray(header) ? header.join('; ') : header ?? '';
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!name || out.has(name)) continue;
    try {
      out.set(name, decodeURIComponent(value));
    } catch {
      out.set(name, value);
    }
  }
  return out;
}

/** Attributes of a cookie satgate sets. */
export interface CookieOptions {
  path: string;
  /** Seconds; 0 deletes the cookie; undefined makes a browser-session cookie. */
  maxAge?: number;
  secure: boolean;
  httpOnly: boolean;
  sameSite: 'Lax' | 'Strict';
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** One `Set-Cookie` value. Values are restricted to cookie-octets by percent-encoding. */
export function serializeCookie(name: string, value: string, opts: CookieOptions): string {
  if (!TOKEN.test(name)) throw new TypeError(`invalid cookie name ${name}`);
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${opts.path}`];
  if (opts.maxAge !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(opts.maxAge))}`);
  if (opts.maxAge === 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  if (opts.secure) parts.push('Secure');
  if (opts.httpOnly) parts.push('HttpOnly');
  parts.push(`SameSite=${opts.sameSite}`);
  return parts.join('; ');
}
