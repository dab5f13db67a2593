import type { FastifyReply, FastifyRequest } from 'fastify';
import { Agent } from 'undici';
import { logger } from '../common/logger';
import type { WireError } from '../common/error.filter';
import { responseHeadersForClient } from './forward-headers';
import type { CompiledRoute } from './route-table';

/**
 * The origin of a route failed: 502 when it cannot be reached (refused, reset, unknown host), 504 when it did
 * not answer within the route's timeout. The body names the route so an operator knows which origin to check;
 * the origin URL itself (internal) only goes to the log.
 */
export class OriginFailure extends Error implements WireError {
  constructor(
    readonly status: 502 | 504,
    readonly route: string,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OriginFailure';
  }

  toBody(): Record<string, unknown> {
    return { error: this.status === 504 ? 'gateway_timeout' : 'bad_gateway', error_description: this.description, route: this.route };
  }
}

const TIMED_OUT = Symbol('origin timeout');
const CLIENT_GONE = Symbol('client gone');
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/**
 * Maps a failure to reach an origin (HTTP or WebSocket) to the answer the caller gets. `cause` says whether
 * satgate itself aborted the request: at the route's timeout, or because the caller went away (then nothing is
 * logged: the answer has no one to reach).
 */
export function originFailure(err: unknown, route: CompiledRoute, cause?: 'timeout' | 'client_gone'): OriginFailure {
  const code = (err as { code?: string })?.code;
  if (cause === 'client_gone') return new OriginFailure(502, route.name, `the caller of route ${route.name} went away`);
  if (cause === 'timeout' || (code && TIMEOUT_CODES.has(code)) || /handshake has timed out/.test(String((err as Error)?.message))) {
    return new OriginFailure(504, route.name, `the origin of route ${route.name} did not answer within ${route.timeoutMs} ms`);
  }
  logger.warn({ route: route.name, origin: route.origin, code, err: (err as Error)?.message }, 'origin unreachable');
  return new OriginFailure(502, route.name, `the origin of route ${route.name} is unreachable`);
}

/**
 * Forwards HTTP requests with undici (keep-alive pools per origin): the request body streams to the origin as
 * it arrives and the response body streams back as the origin writes it (server-sent events flush per event).
 * The route's timeout covers connecting and waiting for the response head; a body may then take as long as
 * it needs (streams idle legitimately), and stops when the caller goes away.
 */
export class OriginProxy {
  private readonly agent = new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000, connect: { timeout: 10_000 } });

  async forward(
    req: FastifyRequest,
    reply: FastifyReply,
    route: CompiledRoute,
    path: string,
    headers: Record<string, string | string[]>,
  ): Promise<FastifyReply> {
    if (!route.origin) throw new OriginFailure(502, route.name, `the origin of route ${route.name} is not running`);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(TIMED_OUT), route.timeoutMs);
    const onClose = (): void => {
      if (!reply.raw.writableFinished) abort.abort(CLIENT_GONE);
    };
    reply.raw.once('close', onClose);
    let res;
    try {
      res = await this.agent.request({
        origin: route.origin,
        path,
        method: req.method as 'GET',
        headers,
        body: hasBody(req) ? req.raw : undefined,
        signal: abort.signal,
        headersTimeout: route.timeoutMs + 1000,
        bodyTimeout: 0,
      });
    } catch (err) {
      const reason = abort.signal.reason;
      throw originFailure(err, route, reason === TIMED_OUT ? 'timeout' : reason === CLIENT_GONE ? 'client_gone' : undefined);
    } finally {
      clearTimeout(timer);
    }
    reply.code(res.statusCode).headers(responseHeadersForClient(res.headers));
    if (req.method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304) {
      res.body.resume();
      return reply.send();
    }
    return reply.send(res.body);
  }

  /**
   * Lets requests in flight finish for a grace period, then cuts the rest (endless streams such as SSE would
   * otherwise hold satgate's shutdown open).
   */
  async close(graceMs = 5000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([this.agent.close(), grace]);
    clearTimeout(timer);
    await this.agent.destroy().catch(() => undefined);
  }
}

/** Whether the caller sent a body (a GET without Content-Length or Transfer-Encoding has none). */
function hasBody(req: FastifyRequest): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}
