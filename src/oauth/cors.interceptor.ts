import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';

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
    reply.header('Access-Control-Allow-Origin', '*');
    reply.header('Access-Control-Expose-Headers', 'WWW-Authenticate');
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
    reply.header('Cache-Control', 'no-store');
    reply.header('Pragma', 'no-cache');
    return next.handle();
  }
}
