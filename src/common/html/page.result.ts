import type { FastifyReply } from 'fastify';

/**
 * What a login handler answers, decided by the services and written by the controller in one place: an
 * HTML page or a redirect, plus cookies. Keeping it data makes the flow testable without Fastify.
 */
export interface PageResult {
  status: number;
  html?: string;
  location?: string;
  headers?: Record<string, string>;
  /** `Set-Cookie` values. */
  cookies: string[];
}

/** An HTML page. */
export function page(status: number, html: string, cookies: string[] = [], headers: Record<string, string> = {}): PageResult {
  return { status, html, cookies, headers };
}

/** A redirect: 302 after a GET; 303 after a POST (RFC 9700 §4.12 — never 307, which would re-post the password). */
export function redirect(status: 302 | 303, location: string, cookies: string[] = []): PageResult {
  return { status, location, cookies };
}

/**
 * Headers on every login response. `no-store` keeps pages holding CSRF tokens and codes out of caches;
 * `frame-ancestors 'none'` / `X-Frame-Options` stop clickjacking of the Approve button; the CSP allows no
 * script at all and images only over http(s) (app logos); `no-referrer` keeps the authorization request's
 * query away from the app's image host. `form-action` is deliberately unset: browsers apply it to the
 * redirect after a post, which goes to the app's redirect URI (any origin or custom scheme).
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src https: http:; frame-ancestors 'none'; base-uri 'none'",
});

/** Writes a PageResult to the Fastify reply. */
export function writePage(reply: FastifyReply, result: PageResult): void {
  for (const [name, value] of Object.entries(PAGE_HEADERS)) reply.header(name, value);
  for (const [name, value] of Object.entries(result.headers ?? {})) reply.header(name, value);
  if (result.cookies.length) reply.header('Set-Cookie', result.cookies);
  reply.status(result.status);
  if (result.location !== undefined) {
    reply.header('Location', result.location);
    void reply.send();
    return;
  }
  void reply.type('text/html; charset=utf-8').send(result.html ?? '');
}
