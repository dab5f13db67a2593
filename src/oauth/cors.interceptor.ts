import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';

/** CORS headers of every answer of the client-authenticated endpoints (see {@link OAuthCorsInterceptor}). */
export const OAUTH_CORS_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'WWW-Authenticate',
});

/** RFC 6749 §5.1 cache headers of every token-endpoint answer (see {@link NoStoreInterceptor}). */
export const NO_STORE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
});

/**
 * CORS for browser clients (SPAs) on the token, introspection, revocation and discovery endpoints. Any origin
 * is allowed and no cookies are involved (`*` without credentials): these endpoints authenticate the client
 * by its secret or PKCE, never by ambient browser state. Headers are set before the handler runs, so error
 * answers rendered later by the ErrorFilter carry them too and the browser lets the app read the error.
 */
@Injectable()
export class OAuthCorsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    for (const [name, value] of Object.entries(OAUTH_CORS_HEADERS)) reply.header(name, value);
    if (req.method === 'OPTIONS') {
      reply.header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      reply.header('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      reply.header('Access-Control-Max-Age', '86400');
    }
    return next.handle();
  }
}

/** RFC 6749 §5.1: token responses must not be cached (errors included: they may echo request details). */
@Injectable()
export class NoStoreInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    for (const [name, value] of Object.entries(NO_STORE_HEADERS)) reply.header(name, value);
    return next.handle();
  }
}
