import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Paths that answer CORS themselves (the OAuth endpoints, with their own interceptor) or must not be readable
 * cross-origin at all (the cookie-based sign-in pages).
 */
const SELF_MANAGED = /^\/(oauth|\.well-known|login)(\/|\?|$)/;

const ALLOW_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';
const ALLOW_HEADERS = 'Authorization, Content-Type, Grpc-Metadata-Macaroon, Macaroon, X-Request-Id';
const EXPOSE_HEADERS = 'WWW-Authenticate, Retry-After, X-Request-Id';

/**
 * CORS for browser L402 clients and API callers (docs/protocol.md: expose WWW-Authenticate, so a page can read the
 * 402 challenge and retry with `Authorization: L402 ...`). Any origin, never credentials: every API here
 * authenticates by an explicit Authorization header, not ambient cookies, so `*` lets a page read only what
 * the token it holds unlocks. Requests without an Origin header are left alone, so non-browser OPTIONS
 * requests still reach gateway origins.
 *
 * A hook rather than `@fastify/cors`: that plugin always registers an `OPTIONS *` route, which collides
 * with the gateway's catch-all route and would swallow OPTIONS requests meant for origins.
 */
export function registerCors(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.headers.origin || SELF_MANAGED.test(req.url)) return;
    reply.header('Access-Control-Allow-Origin', '*');
    reply.header('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      // A preflight: answer it here, before any policy (the browser strips Authorization from it).
      void reply
        .header('Access-Control-Allow-Methods', ALLOW_METHODS)
        .header('Access-Control-Allow-Headers', ALLOW_HEADERS)
        .header('Access-Control-Max-Age', '86400')
        .header('Vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers')
        .status(204)
        .send();
      return reply;
    }
  });
}
