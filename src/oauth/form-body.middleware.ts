import { Injectable, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidRequest } from '../core/oauth';
import { NO_STORE_HEADERS, OAUTH_CORS_HEADERS } from './cors.interceptor';

/** The only body encoding of the token, introspection and revocation endpoints (RFC 6749 §3.2, RFC 7662 §2.1, RFC 7009 §2.1). */
export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

/** True when a `Content-Type` value is the form media type, whatever its case and parameters (`; charset=UTF-8`). */
export function isFormContentType(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  return typeof value === 'string' && value.split(';')[0].trim().toLowerCase() === FORM_MEDIA_TYPE;
}

/**
 * Refuses a POST to `/oauth/token`, `/oauth/introspect` or `/oauth/revoke` whose body is not form-encoded with
 * `400 {"error":"invalid_request"}` — before client authentication, and before Fastify's body parsing, which
 * would otherwise accept JSON or plain text (parameters from a body the spec does not define) and answer other
 * types with a bare 415 lacking the CORS headers a browser client needs to read it. It runs as Nest middleware
 * on the raw response, ahead of the interceptors and the error filter, so it writes their headers itself.
 */
@Injectable()
export class FormBodyOnlyMiddleware implements NestMiddleware {
  use(req: IncomingMessage & { id?: unknown; originalUrl?: unknown }, res: ServerResponse, next: (err?: unknown) => void): void {
    if (isFormContentType(req.headers['content-type'])) {
      next();
      return;
    }
    if (typeof req.originalUrl === 'string') req.url = req.originalUrl; // the middleware runner stripped it; the request log reads it
    const err = new InvalidRequest(`the request body must be ${FORM_MEDIA_TYPE}`);
    const body = JSON.stringify(err.toBody());
    res.statusCode = err.status;
    for (const [name, value] of Object.entries({ ...OAUTH_CORS_HEADERS, ...NO_STORE_HEADERS })) res.setHeader(name, value);
    if (typeof req.id === 'string') res.setHeader('X-Request-Id', req.id);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(body);
  }
}
