import { BeforeApplicationShutdown, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type WebSocket from 'ws';
import type { AccessPolicy } from '../access/access-policy';
import { PolicyEvaluator } from '../access/policy-evaluator';
import type { Principal } from '../access/principal';
import { APP_CONFIG } from '../config/config.module';
import type { RuntimeConfig } from '../config/config.types';
import { InvalidInput } from '../common/validation';
import type { Clock } from '../core/clock';
import { CLOCK } from '../common/clock.module';
import { ForwardedFor, requestHeadersForOrigin, responseHeadersForClient, upgradeHeadersForOrigin } from './forward-headers';
import { IdentityHeaders } from './identity-headers';
import { OriginProxy } from './origin-proxy';
import type { PathBindings } from './route-pattern';
import { canonicalHost, CompiledRoute, upstreamPath } from './route-table';
import { RouteTableService } from './route-table.service';
import { joinSockets, openUpstream, PendingUpstream, UpstreamRefused } from './ws-proxy';

/** What the admission step leaves on the request for the proxy step. */
export interface GatewayState {
  route: CompiledRoute;
  bindings: PathBindings;
  /** The canonical path the route was matched on; exactly this is forwarded. */
  path: string;
  upstream?: PendingUpstream;
}

/** Request fields the gateway sets (the same two the AccessGuard sets for controllers, plus its match). */
export interface GatewayRequest extends FastifyRequest {
  principal?: Principal;
  accessPolicy?: AccessPolicy;
  gateway?: GatewayState | null;
  /** Label of this request in /metrics (see MetricsLabelled). */
  metricsRoute?: string;
}

/**
 * The gateway's request path, in two steps that Fastify runs as a route's preHandler and handler:
 * `admit` finds the route in the in-memory table and asks the one PolicyEvaluator (the access guard's) to
 * decide, so a proxied route answers exactly as a controller with the same policy; `proxy` forwards to the
 * origin with the caller's identity. WebSocket upgrades take the same admission; the origin socket is opened
 * before the caller's upgrade is accepted.
 */
@Injectable()
export class GatewayHandler implements BeforeApplicationShutdown {
  private readonly proxyClient = new OriginProxy();
  private readonly identity: IdentityHeaders;

  constructor(
    private readonly table: RouteTableService,
    private readonly evaluator: PolicyEvaluator,
    @Inject(APP_CONFIG) config: RuntimeConfig,
    @Inject(CLOCK) clock: Clock,
  ) {
    this.identity = new IdentityHeaders(config.originJwtSecret, clock);
  }

  /** preHandler: route lookup (404 for none or a disabled route), then the policy (throws AccessDenied). */
  async admit(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const req = request as GatewayRequest;
    const url = req.url;
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const found = this.table.current().match(req.method, req.host, req.hostname, path);
    if (found.kind === 'bad_path') throw new InvalidInput('path', found.reason);
    if (found.kind === 'none' || !found.route.enabled) throw new NotFoundException(`no route for ${req.method} on this path`);
    const route = found.route;
    req.metricsRoute = `gateway:${route.name}`; // refusals are counted under the route too
    req.accessPolicy = route.policy;
    req.principal = await this.evaluator.evaluate(route.policy, req);
    req.gateway = { route, bindings: found.bindings, path: found.path };
    if ((req as { ws?: boolean }).ws) await this.openWebSocket(req, reply, found.path, q < 0 ? '' : url.slice(q));
  }

  /** handler: forward the admitted request over HTTP. */
  async proxy(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const req = request as GatewayRequest;
    const { route, bindings, path } = req.gateway!;
    const q = req.url.indexOf('?');
    const target = upstreamPath(route, bindings, path, q < 0 ? '' : req.url.slice(q));
    const headers = requestHeadersForOrigin(req.headers, forwardedFor(req), await this.identity.for(req.principal));
    return this.proxyClient.forward(req, reply, route, target, headers);
  }

  /** wsHandler: the caller's socket is upgraded; join it to the origin socket opened during admission. */
  joinWebSocket(socket: WebSocket, request: FastifyRequest): void {
    const upstream = (request as GatewayRequest).gateway?.upstream;
    if (!upstream) {
      socket.close(1011);
      return;
    }
    joinSockets(socket, upstream);
  }

  /** The subprotocol to accept from the caller: the one the origin chose. */
  static protocolFor(raw: object): string | false {
    return upstreamProtocols.get(raw) || false;
  }

  /** Before the HTTP server closes: proxied streams must end, or the server would wait for them. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.proxyClient.close();
  }

  private async openWebSocket(req: GatewayRequest, reply: FastifyReply, path: string, query: string): Promise<void> {
    const { route, bindings } = req.gateway!;
    const headers = upgradeHeadersForOrigin(req.headers, forwardedFor(req), await this.identity.for(req.principal));
    const offered = req.headers['sec-websocket-protocol'];
    const protocols = typeof offered === 'string' ? offered.split(',').map((p) => p.trim()).filter(Boolean) : [];
    try {
      const upstream = await openUpstream(route, upstreamPath(route, bindings, path, query), headers, protocols);
      req.gateway!.upstream = upstream;
      upstreamProtocols.set(req.raw, upstream.protocol);
      // If the caller's side never completes, do not leave the origin socket open.
      req.raw.socket.once('close', () => upstream.socket.terminate());
    } catch (err) {
      if (!(err instanceof UpstreamRefused)) throw err;
      await reply.code(err.response.statusCode ?? 502).headers(responseHeadersForClient(err.response.headers)).send(err.response);
    }
  }
}

/** Subprotocol chosen by the origin, per raw request (read by the WebSocket server's handleProtocols). */
const upstreamProtocols = new WeakMap<object, string>();

/** `X-Forwarded-*` values: the trusted client chain (Fastify applies TRUST_PROXY), scheme and host. */
function forwardedFor(req: FastifyRequest): ForwardedFor {
  const ips = (req as { ips?: string[] }).ips;
  const chain = ips && ips.length ? [...ips].reverse() : [req.socket.remoteAddress ?? ''];
  return { chain, proto: req.protocol, host: canonicalHost(req.host), requestId: req.id };
}
