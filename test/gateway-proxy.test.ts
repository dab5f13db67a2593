import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import WebSocket from 'ws';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { databaseQueryCount } from '../src/database/query-counter';
import { ChallengePurger } from '../src/l402/challenge.purger';
import { mustCreateRoute, Seen, startTestOrigin, TestOrigin } from './gateway.fixtures';
import { startTestApp } from './support/app';
import { resetDatabase } from './support/database';

let satgate: RunningSatgate;
let trusting: RunningSatgate;
let origin: TestOrigin;

before(async () => {
  await resetDatabase();
  origin = await startTestOrigin();
  satgate = await startTestApp();
  const url = satgate.url;
  await mustCreateRoute(url, { name: 'echo', path: '/echo/*', origin: origin.url, mode: 'none' });
  await mustCreateRoute(url, { name: 'rewrite', path: '/pay/:id/*', rewrite: '/echo/v2/:id/*', origin: `${origin.url}/base`, mode: 'none' });
  await mustCreateRoute(url, { name: 'status', path: '/status/:code', origin: origin.url, mode: 'none' });
  await mustCreateRoute(url, { name: 'pipe', path: '/pipe', origin: origin.url, mode: 'none', methods: ['POST'] });
  await mustCreateRoute(url, { name: 'sse', path: '/sse', origin: origin.url, mode: 'none', methods: ['GET'] });
  await mustCreateRoute(url, { name: 'hang', path: '/hang', origin: origin.url, mode: 'none', timeoutMs: 300 });
  await mustCreateRoute(url, { name: 'down', path: '/down/*', origin: 'http://127.0.0.1:9', mode: 'none', timeoutMs: 5000 });
  await mustCreateRoute(url, { name: 'ws-open', path: '/ws/open', origin: origin.url, mode: 'none' });
  await mustCreateRoute(url, { name: 'ws-guarded', path: '/ws/guarded', origin: origin.url, mode: 'oauth', scopes: ['invoices:read'] });
  // A second instance on the same database, behind two trusted proxies.
  trusting = await startTestApp({ TRUST_PROXY: '2' });
});

after(async () => {
  await trusting?.close();
  await satgate?.close();
  await origin?.stop();
});

async function seen(res: Response): Promise<Seen> {
  assert.equal(res.status, 200, `status ${res.status}`);
  return (await res.json()) as Seen;
}

test('method, path, query and end-to-end headers reach the origin; hop-by-hop headers, the caller\'s credentials and X-Satgate-* do not', async () => {
  const port = new URL(satgate.url).port;
  const res = await fetch(`${satgate.url}/echo/a/b%20c?x=1&y=%2F`, {
    method: 'PUT',
    headers: {
      authorization: 'Bearer caller-secret-token',
      'x-satgate-l402-token-id': 'forged',
      'x-satgate-l402-service': 'forged',
      macaroon: '0201',
      'x-forwarded-for': '6.6.6.6',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'https',
      te: 'trailers',
      'x-custom': 'kept',
      cookie: 'session=1',
      'content-type': 'application/json',
    },
    body: '{"a":1}',
  });
  const s = await seen(res);
  assert.equal(s.method, 'PUT');
  assert.equal(s.url, '/echo/a/b%20c?x=1&y=%2F');
  assert.equal(s.headers['x-custom'], 'kept');
  assert.equal(s.headers.cookie, 'session=1');
  assert.equal(s.headers['content-type'], 'application/json');
  assert.equal(s.bodyBytes, 7);
  for (const name of ['authorization', 'x-satgate-l402-token-id', 'x-satgate-l402-service', 'macaroon', 'te']) {
    assert.equal(s.headers[name], undefined, `${name} must not reach the origin`);
  }
  // TRUST_PROXY unset: the caller's X-Forwarded-* are replaced by what satgate itself saw.
  assert.equal(s.headers['x-forwarded-for'], '127.0.0.1');
  assert.equal(s.headers['x-forwarded-proto'], 'http');
  assert.equal(s.headers['x-forwarded-host'], `127.0.0.1:${port}`);
  assert.equal(s.headers.host, new URL(origin.url).host, 'the origin sees its own host');
  assert.ok(res.headers.get('x-request-id'), 'satgate request id on proxied answers');
  assert.equal(s.headers['x-request-id'], res.headers.get('x-request-id'), 'the origin gets satgate\'s request id');
});

test('behind two trusted proxies (TRUST_PROXY=2) the client chain, scheme and host are passed on', async () => {
  const s = await seen(
    await fetch(`${trusting.url}/echo/x`, {
      headers: { 'x-forwarded-for': '203.0.113.9, 198.51.100.2', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'pay.example.com' },
    }),
  );
  assert.equal(s.headers['x-forwarded-for'], '203.0.113.9, 198.51.100.2, 127.0.0.1');
  assert.equal(s.headers['x-forwarded-proto'], 'https');
  assert.equal(s.headers['x-forwarded-host'], 'pay.example.com');
});

test('a rewrite fills the path parameters and the rest, below the origin URL\'s base path, keeping the query', async () => {
  const s = await seen(await fetch(`${satgate.url}/pay/inv%2042/deep/er?q=1`));
  assert.equal(s.url, '/base/echo/v2/inv%2042/deep/er?q=1');
});

test('the origin\'s status and headers come back; repeated Set-Cookie kept, hop-by-hop dropped; 204 and HEAD have no body', async () => {
  const res = await fetch(`${satgate.url}/status/418`);
  assert.equal(res.status, 418);
  assert.equal(await res.text(), 'status 418');
  assert.deepEqual(res.headers.getSetCookie(), ['a=1; Path=/', 'b=2; Path=/']);
  assert.equal(res.headers.get('x-origin'), 'yes');
  assert.equal(res.headers.get('x-hop'), null, 'a header the origin listed in Connection is not relayed');
  assert.equal(res.headers.get('content-type'), 'text/plain');

  const empty = await fetch(`${satgate.url}/status/204`, { method: 'DELETE' });
  assert.equal(empty.status, 204);
  assert.equal(await empty.text(), '');
  const head = await fetch(`${satgate.url}/echo/head`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
});

test('a request body streams to the origin unparsed, whatever its size or type (beyond the 1 MB parse limit)', async () => {
  const body = randomBytes(3 * 1024 * 1024);
  const s = await seen(await fetch(`${satgate.url}/echo/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body }));
  assert.equal(s.bodyBytes, body.length);
  assert.equal(s.bodySha256, createHash('sha256').update(body).digest('hex'));
  assert.equal(s.headers['content-length'], String(body.length));

  const json = '{"not": "parsed"'; // malformed JSON is the origin's business, not satgate's
  const j = await seen(await fetch(`${satgate.url}/echo/json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json }));
  assert.equal(j.bodyBytes, json.length);
});

test('bodies stream both ways: the origin\'s echo of the first chunk arrives before the second chunk is sent', async () => {
  const port = Number(new URL(satgate.url).port);
  const req = http.request({ host: '127.0.0.1', port, path: '/pipe', method: 'POST', headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' } });
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
    req.write('first-chunk;');
    req.flushHeaders();
  });
  assert.equal(res.statusCode, 200);
  const chunks: string[] = [];
  const firstEcho = await new Promise<string>((resolve) => res.once('data', (d: Buffer) => resolve(d.toString())));
  chunks.push(firstEcho);
  assert.equal(firstEcho, 'first-chunk;', 'the echo of chunk 1 arrived while the request was still open');
  res.on('data', (d: Buffer) => chunks.push(d.toString()));
  req.end('second-chunk');
  await new Promise((resolve) => res.on('end', resolve));
  assert.equal(chunks.join(''), 'first-chunk;second-chunk');
});

test('server-sent events are relayed as they are written: the first event arrives while the origin still holds the stream', async () => {
  const res = await fetch(`${satgate.url}/sse`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes('data: 1\n\n')) {
    const { value, done } = await reader.read();
    assert.equal(done, false, 'the stream ended before the first event was relayed');
    text += decoder.decode(value, { stream: true });
  }
  assert.equal(text, 'event: tick\ndata: 1\n\n', 'only the first event so far: the origin has not been released yet');
  origin.release();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  assert.equal(text, 'event: tick\ndata: 1\n\nevent: tick\ndata: 2\n\n');
});

test('an unreachable origin answers 502 JSON naming the route', async () => {
  const res = await fetch(`${satgate.url}/down/x`);
  assert.equal(res.status, 502);
  assert.deepEqual(await res.json(), { error: 'bad_gateway', error_description: 'the origin of route down is unreachable', route: 'down' });
});

test('an origin that does not answer within the route timeout answers 504 JSON naming the route', async () => {
  const res = await fetch(`${satgate.url}/hang`);
  assert.equal(res.status, 504);
  assert.deepEqual(await res.json(), {
    error: 'gateway_timeout',
    error_description: 'the origin of route hang did not answer within 300 ms',
    route: 'hang',
  });
});

test('a WebSocket is proxied: echo both ways, the origin\'s subprotocol, X-Forwarded-*, and close codes passed on', async () => {
  const ws = new WebSocket(`${satgate.url.replace('http', 'ws')}/ws/open?room=1`, ['echo.v1', 'echo.v2'], {
    headers: { authorization: 'Bearer caller-token', 'x-satgate-l402-tier': '9' },
  });
  const messages: string[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on('message', (data) => {
    messages.push(data.toString());
    if (messages.length === 1) ws.send('hello origin');
    if (messages.length === 2) ws.send('bye');
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  assert.equal(ws.protocol, 'echo.v2');
  assert.deepEqual(await closed, { code: 4001, reason: 'bye bye' });
  const hello = JSON.parse(messages[0]);
  assert.equal(hello.url, '/ws/open?room=1');
  assert.equal(hello.headers.authorization, undefined, 'the caller\'s token never reaches the origin');
  assert.equal(hello.headers['x-satgate-l402-tier'], undefined);
  assert.equal(hello.headers['x-forwarded-for'], '127.0.0.1');
  assert.equal(messages[1], 'hello origin');
});

test('a WebSocket upgrade that fails the policy is refused with the policy\'s status before reaching the origin', async () => {
  const before = origin.wsConnections();
  const ws = new WebSocket(`${satgate.url.replace('http', 'ws')}/ws/guarded`);
  const refused = await new Promise<{ status: number; challenge: string | undefined; body: string }>((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, challenge: res.headers['www-authenticate'] as string | undefined, body }));
    });
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => undefined);
  });
  assert.equal(refused.status, 401);
  assert.equal(refused.challenge, 'Bearer realm="satgate"');
  assert.deepEqual(JSON.parse(refused.body), { error: 'unauthorized', error_description: 'an OAuth bearer token is required' });
  assert.equal(origin.wsConnections(), before, 'the origin never saw the refused caller');
});

test('a WebSocket to an unreachable origin is answered 502 over HTTP, not with an opened-then-dropped socket', async () => {
  await mustCreateRoute(satgate.url, { name: 'ws-down', path: '/ws/down', origin: 'http://127.0.0.1:9', mode: 'none' });
  const ws = new WebSocket(`${satgate.url.replace('http', 'ws')}/ws/down`);
  const status = await new Promise<number>((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => undefined);
  });
  assert.equal(status, 502);
});

test('paths with dot segments are refused rather than forwarded', async () => {
  const port = Number(new URL(satgate.url).port);
  // fetch() would normalize the path; a raw request keeps it as a client could send it.
  const status = await new Promise<number>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/echo/%2e%2e/admin' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
  assert.equal(status, 400);
});

test('encoded slashes or backslashes and raw backslashes are refused with a 400 naming the problem, never forwarded', async () => {
  const port = Number(new URL(satgate.url).port);
  const raw = (path: string) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      }).on('error', reject);
    });
  const encoded = 'the path must not contain an encoded slash or backslash (%2F, %5C)';
  const cases: Array<[string, string]> = [
    ['/echo/..%2Fadmin', encoded],
    ['/echo/..%2fadmin', encoded],
    ['/echo/..%5Cadmin', encoded],
    ['/echo/..%5cadmin', encoded],
    ['/pay/x%2F..%2F..%2Fsecret/y', encoded],
    ['/echo/..\\admin', 'the path must not contain a backslash'],
  ];
  for (const [path, description] of cases) {
    const res = await raw(path);
    assert.equal(res.status, 400, path);
    assert.deepEqual(res.body, { error: 'invalid_request', error_description: description, field: 'path' }, path);
  }
  const fine = await raw('/echo/a%20b?next=%2Fhome');
  assert.equal(fine.status, 200, 'other escapes in the path, and any in the query, still pass');
  assert.equal(fine.body.url, '/echo/a%20b?next=%2Fhome');
});

test('the hot path sends no database query: the route table is served from memory', async () => {
  // The L402 purger's periodic sweep is the only other query source in these apps; keep it out of the window.
  for (const app of [satgate, trusting]) await app.app.get(ChallengePurger).onApplicationShutdown();
  await seen(await fetch(`${satgate.url}/echo/warm`));
  const before = databaseQueryCount();
  for (let i = 0; i < 25; i++) await seen(await fetch(`${satgate.url}/echo/n${i}`));
  assert.equal(databaseQueryCount() - before, 0);
});
