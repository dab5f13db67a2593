import { createHash, randomBytes } from 'node:crypto';
import Fastify, { FastifyInstance, FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';

/** A running demo origin. */
export interface DemoOrigin {
  url: string;
  stop(): Promise<void>;
}

/**
 * An LNDhub-like origin for demo mode and tests: plausible JSON for Alby's routes, the /v1 demo routes, a
 * server-sent-events stream and a WebSocket echo. Every answer echoes the identity headers satgate sent, so
 * a caller can see exactly what the origin learned about them (and that their own token never arrived).
 */
export async function startDemoOrigin(opts: { host?: string; port?: number } = {}): Promise<DemoOrigin> {
  const app = Fastify({ logger: false });
  await app.register(websocket);
  registerRoutes(app);
  await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { url: `http://127.0.0.1:${port}`, stop: () => app.close() };
}

/** The headers an origin uses to know its caller: satgate's identity JWT and L402 headers, and forwarding. */
function received(req: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === 'authorization' || name.startsWith('x-satgate-') || name.startsWith('x-forwarded-')) {
      out[name] = String(value);
    }
  }
  return out;
}

function fakeHash(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

function registerRoutes(app: FastifyInstance): void {
  const invoices: Array<Record<string, unknown>> = [];

  app.get('/balance', async (req) => ({ BTC: { AvailableBalance: 21_000 }, received: received(req) }));
  app.get('/user/value4value', async (req) => ({
    ln_address: 'demo@satgate.local', keysend_pubkey: '02'.padEnd(66, 'a'), received: received(req),
  }));
  app.get('/invoices/incoming', async (req) => ({ invoices, received: received(req) }));
  app.get('/invoices/outgoing', async (req) => ({ payments: [], received: received(req) }));
  app.post('/invoices', async (req, reply) => {
    const body = (req.body ?? {}) as { amount?: number; description?: string };
    const hash = fakeHash(randomBytes(16).toString('hex'));
    const invoice = { payment_hash: hash, amount: Number(body.amount ?? 0), description: body.description ?? '', settled: false };
    invoices.push(invoice);
    return reply.status(201).send({ ...invoice, received: received(req) });
  });
  app.get('/invoices/:payment_hash', async (req, reply) => {
    const { payment_hash } = req.params as { payment_hash: string };
    const found = invoices.find((i) => i.payment_hash === payment_hash);
    if (!found) return reply.status(404).send({ error: 'not_found', received: received(req) });
    return { ...found, received: received(req) };
  });
  app.post('/payments/bolt11', async (req) => ({
    status: 'succeeded', payment_hash: fakeHash('bolt11'), received: received(req), body: req.body ?? null,
  }));
  app.post('/payments/keysend', async (req) => ({
    status: 'succeeded', payment_hash: fakeHash('keysend'), received: received(req), body: req.body ?? null,
  }));

  app.get('/v1/quote', async (req) => ({ symbol: 'BTCUSD', price: 97_000.5, at: new Date().toISOString(), received: received(req) }));
  app.post('/v1/reports', async (req, reply) => reply.status(201).send({ accepted: true, report: req.body ?? null, received: received(req) }));
  app.get('/v1/data', async (req) => ({ series: [1, 1, 2, 3, 5, 8], received: received(req) }));
  app.get('/v1/slow', async (req) => {
    const ms = Math.min(Number((req.query as { ms?: string }).ms ?? 5000), 60_000);
    await new Promise((r) => setTimeout(r, ms));
    return { slept: ms };
  });

  // Server-sent events: a few events over ~2 s, each flushed as it is written.
  app.get('/v1/stream', (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    let n = 0;
    const tick = (): void => {
      n += 1;
      res.write(`event: tick\ndata: ${JSON.stringify({ n, at: Date.now() })}\n\n`);
      if (n >= 4) {
        clearInterval(timer);
        res.end();
      }
    };
    const timer = setInterval(tick, 500);
    req.raw.on('close', () => clearInterval(timer));
  });

  app.get('/v1/ws', { websocket: true }, (socket, req) => {
    socket.send(JSON.stringify({ hello: true, received: received(req) }));
    socket.on('message', (data: Buffer) => socket.send(data.toString()));
  });
}
