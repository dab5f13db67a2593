import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import Fastify, { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { mustCreateRoute, startTestOrigin, TestOrigin } from './gateway.fixtures';
import { startTestApp } from './support/app';
import { resetDatabase } from './support/database';

/**
 * The gateway decides on the canonical path and forwards exactly it, so an origin that decodes and forgives
 * (case, trailing and duplicate slashes, `;` parameters) can never serve the guarded resource through the
 * broader open route. The origin here is a lenient Fastify: it records every request it served.
 */
let satgate: RunningSatgate;
let origin: FastifyInstance;
let originUrl: string;
let wsOrigin: TestOrigin;
const served: Array<{ resource: string; url: string }> = [];

before(async () => {
  await resetDatabase();
  origin = Fastify({
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, useSemicolonDelimiter: true },
  } as Parameters<typeof Fastify>[0] & object) as unknown as FastifyInstance;
  origin.get('/invoices/incoming', async (req) => {
    served.push({ resource: 'incoming', url: req.url });
    return { resource: 'incoming' };
  });
  origin.get('/invoices/:hash', async (req) => {
    served.push({ resource: 'hash', url: req.url });
    return { resource: 'hash', hash: (req.params as { hash: string }).hash, url: req.url };
  });
  originUrl = await origin.listen({ port: 0, host: '127.0.0.1' });
  wsOrigin = await startTestOrigin();
  satgate = await startTestApp();
  const url = satgate.url;
  await mustCreateRoute(url, { name: 'incoming', path: '/invoices/incoming', origin: originUrl, mode: 'oauth', scopes: ['invoices:read'], position: 1 });
  await mustCreateRoute(url, { name: 'by-hash', path: '/invoices/:payment_hash', origin: originUrl, mode: 'none', position: 2 });
  await mustCreateRoute(url, { name: 'ws-guarded', path: '/ws/guarded', origin: wsOrigin.url, mode: 'oauth', scopes: ['invoices:read'], position: 3 });
  await mustCreateRoute(url, { name: 'ws-open', path: '/ws/*', origin: wsOrigin.url, mode: 'none', position: 4 });
  await mustCreateRoute(url, { name: 'host-guarded', path: '/h/*', host: 'pay.example', origin: originUrl, mode: 'oauth', scopes: ['invoices:read'], position: 5 });
  await mustCreateRoute(url, { name: 'host-open', path: '/h/*', origin: originUrl, mode: 'none', position: 6 });
});

after(async () => {
  await satgate?.close();
  await origin?.close();
  await wsOrigin?.stop();
});

/** Spellings of `/invoices/incoming` that a decoding, forgiving origin serves as that resource. */
const GUARDED_SPELLINGS = [
  '/invoices/incoming',
  '/invoices/%69ncoming',
  '/invoices/%69%6E%63%6F%6D%69%6E%67',
  '/%69nvoices/incoming',
  '/invoices/incoming/',
  '/invoices//incoming',
  '//invoices/incoming',
  '/invoices/INCOMING',
  '/Invoices/Incoming',
  '/INVOICES/%49NCOMING/',
];

/** Spellings that must be refused outright (400), never forwarded. */
const REFUSED_SPELLINGS = [
  '/invoices/incoming;x',
  '/invoices/incoming;jsessionid=1',
  '/invoices/incoming%00',
  '/invoices/incoming%0a',
  '/invoices/incoming%09',
  '/invoices/incoming%7f',
  '/invoices/x/..%2Fincoming',
  '/invoices/incoming%2F',
  '/invoices/incoming%5C',
  '/invoices/%252e%252e%252Fincoming',
];

test('every spelling of the guarded path gets the guarded route\'s policy (401), never the open route', async () => {
  for (const path of GUARDED_SPELLINGS) {
    const res = await fetch(`${satgate.url}${path}`);
    assert.equal(res.status, 401, path);
    assert.deepEqual(await res.json(), { error: 'unauthorized', error_description: 'an OAuth bearer token is required' }, path);
  }
  assert.deepEqual(served, [], 'the origin served nothing');
});

test('";" parameters, encoded control characters, encoded separators and double encoding are refused with 400', async () => {
  for (const path of REFUSED_SPELLINGS) {
    const res = await fetch(`${satgate.url}${path}`);
    assert.equal(res.status, 400, path);
    const body = (await res.json()) as { error: string; error_description: string };
    assert.equal(body.error, 'invalid_request', path);
    assert.match(body.error_description, /path/, path);
  }
  assert.deepEqual(served, [], 'the origin served nothing');
});

test('the open route receives exactly the canonical path the gateway matched', async () => {
  const res = await fetch(`${satgate.url}/invoices//%61bc%3a/?q=%2F`);
  assert.equal(res.status, 200, await res.clone().text());
  assert.deepEqual(await res.json(), { resource: 'hash', hash: 'abc:', url: '/invoices/abc%3A?q=%2F' });
  assert.deepEqual(served.splice(0), [{ resource: 'hash', url: '/invoices/abc%3A?q=%2F' }]);
});

test('WebSocket upgrades take the same canonical path: spellings of the guarded path are refused 401', async () => {
  for (const path of ['/ws/guarded', '/ws/%67uarded', '/ws/guarded/', '/ws//guarded', '/WS/Guarded']) {
    const status = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(`${satgate.url.replace('http', 'ws')}${path}`);
      socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.once('open', () => {
        socket.close();
        resolve(101);
      });
      socket.once('error', reject);
    });
    assert.equal(status, 401, path);
  }
  assert.equal(wsOrigin.wsConnections(), 0);
});

test('WebSocket upgrades to a target the canonical form refuses are 400 before any route is chosen', async () => {
  for (const path of ['/ws/guarded;x', '/ws/x/..%2Fguarded', '/ws/guarded%00', '/ws/%252e%252e/guarded']) {
    const status = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(`${satgate.url.replace('http', 'ws')}${path}`);
      socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.once('open', () => {
        socket.close();
        resolve(101);
      });
      socket.once('error', reject);
    });
    assert.equal(status, 400, path);
  }
  assert.equal(wsOrigin.wsConnections(), 0);
});

/** Sends a raw request (for headers fetch cannot send) and returns the status line's code. */
function rawStatus(head: string): Promise<number> {
  const { port } = new URL(satgate.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0)));
    socket.on('error', reject);
    socket.write(head);
  });
}

test('Host: upper case and a trailing dot select the same route as the canonical name; two Host headers are 400', async () => {
  for (const host of ['pay.example', 'PAY.EXAMPLE', 'pay.example.', 'Pay.Example.']) {
    assert.equal(await rawStatus(`GET /h/x HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`), 401, host);
  }
  // Another host takes the open route to the origin, which has no such page.
  assert.equal(await rawStatus('GET /h/x HTTP/1.1\r\nHost: other.example\r\nConnection: close\r\n\r\n'), 404);
  assert.equal(await rawStatus('GET /h/x HTTP/1.1\r\nHost: other.example\r\nHost: pay.example\r\nConnection: close\r\n\r\n'), 400);
  served.splice(0);
});
