import type { FastifyRequest } from 'fastify';
import type { OAuthError } from '../core/oauth';

/** True when the caller is a browser asking for a page rather than an API client asking for JSON. */
export function wantsHtml(req: Pick<FastifyRequest, 'headers'>): boolean {
  const accept = req.headers.accept;
  return typeof accept === 'string' && accept.includes('text/html');
}

/**
 * The page a user sees when an authorization request cannot be sent back to the app (unknown client, redirect
 * URI not registered): RFC 6749 §4.1.2.1 says inform the resource owner and do not redirect.
 */
export function authorizeErrorPage(err: OAuthError): string {
  const body = err.toBody();
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>Authorization error</title></head>',
    '<body>',
    '<h1>This app could not be authorized</h1>',
    `<p><code>${escapeHtml(body.error)}</code>: ${escapeHtml(body.error_description)}</p>`,
    '<p>The request did not come from a registered app or named a redirect address the app did not register, so you were not sent back to it.</p>',
    '</body></html>',
  ].join('\n');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
