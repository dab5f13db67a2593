import * as net from 'node:net';
import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** A connection idle this long after draining began is one its client is not using: it is closed. */
const IDLE_CLOSE_MS = 1000;
/** How often the drain looks for idle connections. */
const POLL_MS = 100;

interface ConnectionState {
  active: number;
  idleSinceMs: number;
}

/**
 * Graceful HTTP shutdown without failed requests on kept-alive connections: stop accepting connections,
 * answer every further response with `Connection: close` (RFC 9112 §9.6) so clients open their next request
 * elsewhere, let requests in flight finish, and close connections that stay idle. Only then may the origin
 * pool and the database close (satgate.ts). Node's own `server.close()` closes idle keep-alive sockets at
 * once, which races a client writing its next request on one; here a socket is closed only after it has
 * been idle for IDLE_CLOSE_MS, or after it carried a `Connection: close` answer.
 */
export class HttpDrain {
  private readonly connections = new Map<net.Socket, ConnectionState>();
  private draining = false;

  constructor(
    private readonly server: Server,
    fastify: FastifyInstance,
  ) {
    server.on('connection', (socket: net.Socket) => {
      this.connections.set(socket, { active: 0, idleSinceMs: Date.now() });
      socket.once('close', () => this.connections.delete(socket));
    });
    server.on('request', (req, res) => {
      const state = this.connections.get(req.socket);
      if (!state) return;
      state.active += 1;
      res.once('close', () => {
        state.active -= 1;
        state.idleSinceMs = Date.now();
      });
    });
    // A response still being prepared when draining starts gets the header too (onSend runs before the head).
    fastify.addHook('onSend', async (_req, reply, payload) => {
      if (this.draining && !reply.raw.headersSent) void reply.header('Connection', 'close');
      return payload;
    });
  }

  /** True once drain() was called. */
  get isDraining(): boolean {
    return this.draining;
  }

  /**
   * Stops accepting, then resolves once every connection has closed, or after `graceMs`, when the ones still
   * open (long-lived streams: SSE, WebSocket) are cut.
   */
  async drain(graceMs: number): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    // net.Server's close only stops listening; http.Server's would also reap idle sockets at once (see above).
    net.Server.prototype.close.call(this.server);
    const startedMs = Date.now();
    const deadline = startedMs + graceMs;
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        const now = Date.now();
        for (const [socket, state] of this.connections) {
          if (state.active === 0 && now - Math.max(state.idleSinceMs, startedMs) >= IDLE_CLOSE_MS) socket.end();
          if (now >= deadline) socket.destroy();
        }
        if (this.connections.size === 0 || now >= deadline) resolve();
        else setTimeout(tick, POLL_MS).unref();
      };
      tick();
    });
  }
}
