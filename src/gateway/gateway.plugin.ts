import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { ErrorFilter } from '../common/error.filter';
import { GatewayHandler } from './gateway.handler';

/** Largest WebSocket message relayed (the origin may allow less). */
const MAX_WS_MESSAGE = 16 * 1024 * 1024;

/**
 * The gateway as a Fastify plugin, registered by GatewayModule on Nest's Fastify instance. Its own
 * encapsulated context lets it differ from the controllers where a proxy must:
 * - no body parsing: request bodies stay streams and go to the origin as they arrive;
 * - `@fastify/websocket` so an upgrade runs through the same preHandler (the policy check) before it is accepted;
 * - a catch-all route `/*`: Fastify's router prefers every registered controller route over it, so the
 *   gateway only ever sees paths satgate itself does not serve;
 * - errors rendered by the application's one ErrorFilter, so refusals look exactly like a controller's.
 */
export function gatewayPlugin(handler: GatewayHandler, filter: ErrorFilter): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    await app.register(websocket, {
      options: {
        maxPayload: MAX_WS_MESSAGE,
        perMessageDeflate: false,
        handleProtocols: (_offered: Set<string>, request: object) => GatewayHandler.protocolFor(request),
      },
    });
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_req, _payload, done) => done(null));
    // `principal` and `accessPolicy` are set ad hoc, as the AccessGuard sets them on controller requests.
    app.decorateRequest('gateway', null);
    app.setErrorHandler((err, req, reply) => {
      filter.catch(err, new ExecutionContextHost([req, reply]));
    });

    const preHandler = (req: FastifyRequest, reply: FastifyReply): Promise<void> => handler.admit(req, reply);
    const proxy = (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => handler.proxy(req, reply);
    app.route({
      method: 'GET',
      url: '/*',
      exposeHeadRoute: false,
      preHandler,
      handler: proxy,
      wsHandler: (socket, req) => handler.joinWebSocket(socket, req),
    });
    app.route({ method: app.supportedMethods.filter((m) => m !== 'GET'), url: '/*', preHandler, handler: proxy });
  };
}
