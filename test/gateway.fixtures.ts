import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { WebSocketServer } from 'ws';
import { adminHeaders } from './support/app';

/** What the test origin saw of one request. */
export interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  bodyBytes: number;
  bodySha256: string;
}

/**
 * An origin for the gateway tests that reports exactly what reached it, plus the streaming cases:
 * - `/echo...`: answers JSON `Seen` (method, raw url, headers, body size and hash);
 * - `/sse`: writes one event, then waits for `release()` before the second one and the end — a test that gets the
 *   first event before releasing proves events are relayed as they are written (no buffering);
 * - `/pipe`: streams the request body back as it arrives;
 * - `/status/<n>`: answers status n with a repeated Set-Cookie, hop-by-hop headers and a body;
 * - `/hang`: never answers; a WebSocket server echoing messages (path `/ws...`), closing with 4001 on "bye".
 */
export interface TestOrigin {
  url: string;
  /** Lets the current `/sse` stream finish. */
  release(): void;
  /** WebSocket connections the origin has accepted so far. */
  wsConnections(): number;
  stop(): Promise<void>;
}

export async function startTestOrigin(): Promise<TestOrigin> {
  let releaseSse: () => void = () => undefined;
  let released = new Promise<void>((r) => (releaseSse = r));
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/sse')) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('event: tick\ndata: 1\n\n');
      void released.then(() => {
        res.end('event: tick\ndata: 2\n\n');
        released = new Promise<void>((r) => (releaseSse = r));
      });
      return;
    }
    if (url.startsWith('/pipe')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.flushHeaders();
      req.pipe(res);
      return;
    }
    if (url.startsWith('/hang')) return;
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      hash.update(chunk);
    });
    req.on('end', () => {
      const status = /^\/status\/(\d{3})/.exec(url);
      if (status) {
        res.writeHead(Number(status[1]), {
          'set-cookie': ['a=1; Path=/', 'b=2; Path=/'],
          'x-origin': 'yes',
          'keep-alive': 'timeout=5',
          connection: 'keep-alive, x-hop',
          'x-hop': 'connection-specific',
          'content-type': 'text/plain',
        });
        res.end(Number(status[1]) === 204 ? undefined : `status ${status[1]}`);
        return;
      }
      const seen: Seen = { method: req.method ?? '', url, headers: req.headers, bodyBytes: bytes, bodySha256: hash.digest('hex') };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(seen));
    });
  });
  const wss = new WebSocketServer({ server, handleProtocols: (offered) => (offered.has('echo.v2') ? 'echo.v2' : false) });
  let wsConnections = 0;
  wss.on('connection', (socket, req) => {
    wsConnections += 1;
    socket.send(JSON.stringify({ hello: true, url: req.url, headers: req.headers }));
    socket.on('message', (data, isBinary) => {
      if (!isBinary && data.toString() === 'bye') socket.close(4001, 'bye bye');
      else socket.send(data, { binary: isBinary });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    release: () => releaseSse(),
    wsConnections: () => wsConnections,
    stop: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `POST /admin/routes` with the admin token; returns status and JSON body. */
export async function createRoute(baseUrl: string, body: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}/admin/routes`, {
    method: 'POST',
    headers: { ...adminHeaders, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** `PATCH /admin/routes/:idOrName`. */
export async function updateRoute(baseUrl: string, idOrName: string, body: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}/admin/routes/${idOrName}`, {
    method: 'PATCH',
    headers: { ...adminHeaders, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** Creates a route and fails the test unless it was accepted. */
export async function mustCreateRoute(baseUrl: string, body: Record<string, unknown>): Promise<any> {
  const res = await createRoute(baseUrl, body);
  if (res.status !== 201) throw new Error(`route ${String(body.name)} refused: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
