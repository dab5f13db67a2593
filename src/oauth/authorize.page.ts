import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OAuthError } from '../core/oauth';
import { PAGE_HEADERS } from '../common/html/page.result';
import { escapeHtml } from '../common/html/html.escape';
import { layout } from '../common/html/page.layout';

/** True when the caller is a browser asking for a page rather than an API client asking for JSON. */
export function wantsHtml(req: Pick<FastifyRequest, 'headers'>): boolean {
  const accept = req.headers.accept;
  return typeof accept === 'string' && accept.includes('text/html');
}

/**
 * The page a user sees when an authorization request cannot be sent back to the app (unknown client, redirect
 * URI not registered): RFC 6749 §4.1.2.1 says inform the resource owner and do not redirect. Same shell as the
 * login pages (viewport, no script).
 */
export function authorizeErrorPage(err: OAuthError): string {
  const body = err.toBody();
  return layout(
    'Authorization error',
    [
      '<h1>This app could not be authorized</h1>',
      `<div class="error" role="alert"><code>${escapeHtml(body.error)}</code>: ${escapeHtml(body.error_description)}</div>`,
      '<p>The request did not come from a registered app or named a redirect address the app did not register, so you were not sent back to it.</p>',
    ].join('\n'),
  );
}

/**
 * Sends the error page with the login pages' security headers (no caching, no framing, no sniffing, a CSP
 * allowing no script): it is served on satgate's origin, so it gets the same protection.
 */
export function sendAuthorizeErrorPage(reply: FastifyReply, err: OAuthError): void {
  for (const [name, value] of Object.entries(PAGE_HEADERS)) reply.header(name, value);
  void reply.status(err.status).type('text/html; charset=utf-8').send(authorizeErrorPage(err));
}
