import type { IncomingMessage } from 'node:http';
import WebSocket, { RawData } from 'ws';
import { originFailure } from './origin-proxy';
import type { CompiledRoute } from './route-table';

/** An origin WebSocket opened for a caller whose upgrade passed the policy check, not yet joined to the caller. */
export interface PendingUpstream {
  socket: WebSocket;
  /** The subprotocol the origin chose, answered to the caller in turn. */
  protocol: string;
  /** Messages the origin sent before the caller's side was upgraded (relayed first, in order). */
  early: Array<[RawData, boolean]>;
  /** Set when the origin closed before the caller's side was joined. */
  closedEarly?: { code: number; reason: Buffer };
  /** Removes the early-close watcher once the sockets are joined. */
  stopWatching(): void;
}

/** The origin refused the upgrade with an HTTP answer, which the caller gets as it is. */
export class UpstreamRefused extends Error {
  constructor(readonly response: IncomingMessage) {
    super(`origin refused the WebSocket upgrade (${response.statusCode})`);
    this.name = 'UpstreamRefused';
  }
}

/**
 * Opens the origin side of a WebSocket before the caller's upgrade is accepted, so an unreachable or refusing
 * origin is answered over HTTP (502/504, or the origin's own status) instead of a socket that opens and dies.
 * Rejects with OriginFailure or UpstreamRefused.
 */
export function openUpstream(
  route: CompiledRoute,
  path: string,
  headers: Record<string, string>,
  protocols: string[],
): Promise<PendingUpstream> {
  const url = `${route.origin!.replace(/^http/, 'ws')}${path}`;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols, { headers, handshakeTimeout: route.timeoutMs, perMessageDeflate: false });
    const early: Array<[RawData, boolean]> = [];
    socket.on('message', (data, isBinary) => early.push([data, isBinary]));
    socket.once('open', () => {
      socket.removeAllListeners('error');
      socket.on('error', () => socket.terminate());
      const pending: PendingUpstream = { socket, protocol: socket.protocol, early, stopWatching: () => socket.off('close', onClose) };
      const onClose = (code: number, reason: Buffer): void => {
        pending.closedEarly = { code, reason };
      };
      socket.once('close', onClose);
      resolve(pending);
    });
    socket.once('unexpected-response', (_req, res) => {
      socket.removeAllListeners('error');
      socket.on('error', () => undefined);
      reject(new UpstreamRefused(res));
    });
    socket.once('error', (err) => reject(originFailure(err, route)));
  });
}

/** Joins the caller's socket to the origin's: messages both ways, close codes passed on, errors end both. */
export function joinSockets(client: WebSocket, upstream: PendingUpstream): void {
  const origin = upstream.socket;
  origin.removeAllListeners('message');
  for (const [data, isBinary] of upstream.early) client.send(data, { binary: isBinary });
  upstream.early.length = 0;
  if (upstream.closedEarly) {
    closeWith(client, upstream.closedEarly.code, upstream.closedEarly.reason);
    return;
  }
  upstream.stopWatching();
  origin.on('message', (data, isBinary) => client.send(data, { binary: isBinary }));
  client.on('message', (data, isBinary) => {
    if (origin.readyState === WebSocket.OPEN) origin.send(data, { binary: isBinary });
  });
  client.on('close', (code, reason) => closeWith(origin, code, reason));
  origin.on('close', (code, reason) => closeWith(client, code, reason));
  client.on('error', () => origin.terminate());
  origin.on('error', () => client.terminate());
}

/** Passes a close on; codes that must not be sent on the wire (1005, 1006, 1015) become 1000. */
function closeWith(socket: WebSocket, code: number, reason: Buffer): void {
  if (socket.readyState === WebSocket.CLOSING || socket.readyState === WebSocket.CLOSED) return;
  const sendable = (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
  socket.close(sendable ? code : 1000, sendable ? reason : undefined);
}
