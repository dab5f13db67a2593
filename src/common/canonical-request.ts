import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canonicalPath } from '../core/http/canonical-path';
import { InvalidInput } from './validation';

/**
 * One canonical request target before any decision, for satgate's own controllers exactly as for gateway
 * routes: Fastify routes the canonical path (RFC 3986 §6.2.2, core/http/canonical-path.ts), so the handler
 * whose policy the AccessGuard checks, the CORS and error rules that look at the path, and the gateway all see
 * one spelling. `/demo/%70aid`, `/demo//paid` and `/demo/paid/` are `/demo/paid` with its L402 policy; a
 * target the canonical form refuses (`;` parameters, dot segments, encoded separators or control characters)
 * is answered 400 before routing has any effect.
 *
 * Literal path segments are compared case-insensitively (the router's `caseSensitive: false`, the gateway's
 * patterns likewise), so `/ADMIN/routes` is the admin API with its admin policy rather than a path some other
 * rule could treat differently; parameter values keep their case.
 */

/** Why the target of a request was refused, recorded by the rewrite for the first onRequest hook to answer. */
const refused = new WeakMap<IncomingMessage, string>();

/**
 * Fastify's `rewriteUrl`: the canonical path plus the query exactly as sent. It cannot answer the request
 * itself, so a refused target is remembered and routed as `/` (the router must never see it: a malformed
 * escape would make it answer with the raw text); the check registered below answers it.
 */
export function canonicalRequestUrl(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const canonical = canonicalPath(q < 0 ? url : url.slice(0, q));
  if (!canonical.ok) {
    refused.set(req, canonical.reason);
    return '/';
  }
  return q < 0 ? canonical.path : canonical.path + url.slice(q);
}

/** How many Host headers the request carried (Node keeps only the first in `headers`). */
function hostHeaderCount(raw: string[]): number {
  let n = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i].length === 4 && raw[i].toLowerCase() === 'host') n++;
  return n;
}

/**
 * The first onRequest hook (registered before Nest's middleware): answers a refused target, or a request with
 * more than one Host header (RFC 9112 §3.2: 400), before any middleware, guard or handler runs.
 */
export function registerCanonicalRequestCheck(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const reason = refused.get(req.raw);
    const problem = reason !== undefined
      ? new InvalidInput('path', reason)
      : hostHeaderCount(req.raw.rawHeaders) > 1
        ? new InvalidInput('host', 'the request must carry exactly one Host header')
        : undefined;
    if (!problem) return;
    void reply.status(problem.status).header('X-Request-Id', req.id).send(problem.toBody());
    return reply;
  });
}
