import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as net from 'node:net';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { createRoute, mustCreateRoute } from './gateway.fixtures';
import { adminHeaders, startTestApp } from './support/app';
import { resetDatabase } from './support/database';

/**
 * satgate's own controllers are routed on the same canonical path as gateway routes: every spelling of a
 * guarded controller path reaches that handler with its policy, every spelling the canonical form refuses is
 * a 400 before any middleware, guard or handler, and path rules (CORS, the OAuth body rule) hold whatever
 * the spelling. Then a table over many encodings through the gateway to an origin that decodes as Express
 * does, and the admin API refusing route patterns that are not canonical.
 */
let satgate: RunningSatgate;
let origin: http.Server;
let originUrl: string;
/** The resource the decoding origin served for each request, as it understood it. */
const served: string[] = [];

/**
 * An origin routing the way Express does by default: percent-decoding the path, ignoring case and a trailing
 * slash, collapsing `//`, and cutting `;` parameters (as servlet containers do).
 */
function decodingOrigin(): http.Server {
  return http.createServer((req, res) => {
    const raw = (req.url ?? '/').split('?')[0].split(';')[0];
    let path: string;
    try {
      path = decodeURIComponent(raw).toLowerCase().replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
    } catch {
      path = raw;
    }
    served.push(path);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ path, url: req.url }));
  });
}

before(async () => {
  await resetDatabase();
  origin = decodingOrigin();
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
  originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
  satgate = await startTestApp();
  await mustCreateRoute(satgate.url, { name: 'secret', path: '/files/secret', origin: originUrl, mode: 'oauth', scopes: ['invoices:read'], position: 1 });
  await mustCreateRoute(satgate.url, { name: 'open', path: '/files/*', origin: originUrl, mode: 'none', position: 2 });
});

after(async () => {
  await satgate?.close();
  await new Promise((resolve) => origin?.close(resolve));
});

/** A request sent with its target exactly as given (fetch would normalise dot segments first). */
function send(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: any }> {
  const { port } = new URL(satgate.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          /* not JSON: keep the text */
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Spellings of `/admin/ping` that an RFC 3986 normaliser (or a forgiving router) takes for that resource. */
const ADMIN_PING_SPELLINGS = [
  '/admin/ping',
  '/ADMIN/ping',
  '/Admin/Ping',
  '/admin/PING',
  '/%61dmin/ping',
  '/admin/%70%69%6E%67',
  '/admin/%70%69%6e%67',
  '/admin/ping/',
  '/admin//ping',
  '//admin/ping',
  '/admin/ping//',
  '/ADMIN//%50ING/',
];

/** Targets the canonical form refuses: answered 400 naming the path, whatever route they resemble. */
const REFUSED_TARGETS = [
  '/admin/ping;x',
  '/admin;x/ping',
  '/admin/ping;jsessionid=1',
  '/admin/./ping',
  '/admin/../admin/ping',
  '/admin/%2e%2e/admin/ping',
  '/admin/%2E/ping',
  '/admin/.%2e/admin/ping',
  '/admin%2fping',
  '/admin%2Fping',
  '/admin%5cping',
  '/admin/ping%00',
  '/admin/ping%0a',
  '/admin/ping%0D%0A',
  '/admin/ping%09',
  '/admin/ping%1f',
  '/admin/ping%7F',
  '/admin/%252e%252e/ping',
  '/admin/ping%',
  '/admin/ping%zz',
  '/demo/paid;x',
  '/oauth/token%00',
  '/files/secret;x',
  '/files/x/..%2Fsecret',
  '/files/%2e%2e/files/secret',
];

test('every spelling of a controller path reaches its handler with its policy: 401 without, 200 with the admin token', async () => {
  for (const path of ADMIN_PING_SPELLINGS) {
    const anonymous = await send(path);
    assert.equal(anonymous.status, 401, path);
    assert.deepEqual(anonymous.body, { error: 'unauthorized', error_description: 'admin token required' }, path);
    const admin = await send(path, { headers: adminHeaders });
    assert.equal(admin.status, 200, path);
  }
});

test('targets the canonical form refuses are 400 invalid_request naming the path, on controllers and the gateway alike', async () => {
  for (const path of REFUSED_TARGETS) {
    const res = await send(path, { headers: adminHeaders });
    assert.equal(res.status, 400, path);
    const body = res.body as Record<string, string>;
    assert.equal(body.error, 'invalid_request', path);
    assert.equal(body.field, 'path', path);
    assert.match(body.error_description, /^the path /, path);
    assert.ok(!body.error_description.includes(path), `the answer does not echo the target: ${path}`);
    assert.ok(res.headers['x-request-id'], path);
  }
  assert.deepEqual(served.splice(0), [], 'the origin served nothing');
});

test('the canonical path is what the handler sees: a query is kept as sent', async () => {
  const res = await send('/OAUTH//%73copes/?x=%2F');
  assert.equal(res.status, 200);
  assert.equal(typeof (res.body as Record<string, string>)['invoices:read'], 'string', JSON.stringify(res.body));
});

test('path rules hold whatever the spelling: no CORS on the sign-in pages, the OAuth form-body rule on the token endpoint', async () => {
  for (const path of ['/login', '/LOGIN', '/Login/', '/%6Cogin', '//login']) {
    const res = await send(path, { headers: { origin: 'https://evil.example' } });
    assert.equal(res.status, 200, path);
    assert.equal(res.headers['access-control-allow-origin'], undefined, path);
  }
  for (const path of ['/oauth/token', '/OAUTH/TOKEN', '/oauth/%74oken', '/oauth/token/']) {
    const res = await send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' }),
    });
    assert.equal(res.status, 400, path);
    assert.deepEqual(res.body, { error: 'invalid_request', error_description: 'the request body must be application/x-www-form-urlencoded' }, path);
  }
});

/** Sends a raw request and returns the status code of the answer. */
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

test('two Host headers are refused on controller routes too', async () => {
  const auth = `Authorization: ${adminHeaders.authorization}\r\n`;
  assert.equal(await rawStatus(`GET /admin/ping HTTP/1.1\r\nHost: a.example\r\n${auth}Connection: close\r\n\r\n`), 200);
  assert.equal(await rawStatus(`GET /admin/ping HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n${auth}Connection: close\r\n\r\n`), 400);
});

/** Spellings an Express-style origin serves as `/files/secret`; the gateway must apply the secret route's policy to each. */
const SECRET_SPELLINGS = [
  '/files/secret',
  '/files/%73ecret',
  '/files/%73%65%63%72%65%74',
  '/files/%73%65%63%72%65%74'.toLowerCase(),
  '/%66iles/secret',
  '/files/secret/',
  '/files//secret',
  '//files/secret',
  '/files/secret//',
  '/FILES/SECRET',
  '/Files/Secret/',
  '/files/SeCrEt',
  '/FILES//%53ECRET/',
];

test('through the gateway to a decoding origin: every spelling of the guarded resource gets its policy, the origin serves none', async () => {
  for (const path of SECRET_SPELLINGS) {
    const res = await send(path);
    assert.equal(res.status, 401, path);
  }
  assert.deepEqual(served.splice(0), []);
  // The open route forwards the canonical form, which the origin understands as the same resource the table chose.
  const res = await send('/FILES//%6Fther%20file/?q=1');
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { path: '/files/other file', url: '/FILES/other%20file?q=1' });
  assert.deepEqual(served.splice(0), ['/files/other file']);
});

test('the admin API refuses a route path or rewrite that is not in canonical form, naming the canonical spelling', async () => {
  const base = { origin: originUrl, mode: 'none' };
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ name: 'trailing', path: '/reports/' }, 'path', /write "\/reports"/],
    [{ name: 'double', path: '/reports//daily' }, 'path', /empty segments|write "\/reports\/daily"/],
    [{ name: 'escaped', path: '/%72eports' }, 'path', /write "\/reports"/],
    [{ name: 'lowhex', path: '/a%3ab' }, 'path', /write "\/a%3Ab"/],
    [{ name: 'semicolon', path: '/reports;v=1' }, 'path', /canonical form: it must not contain ";"/],
    [{ name: 'rewrite-slash', path: '/r/*', rewrite: '/v2/*/' }, 'rewrite', /write "\/v2\/\*"/],
    [{ name: 'rewrite-escape', path: '/r/:id', rewrite: '/v2/%69tems/:id' }, 'rewrite', /write "\/v2\/items\/:id"/],
  ];
  for (const [fields, field, message] of cases) {
    const res = await createRoute(satgate.url, { ...base, ...fields });
    assert.equal(res.status, 400, JSON.stringify(fields));
    assert.equal(res.body.error, 'invalid_request');
    assert.equal(res.body.field, field, JSON.stringify(fields));
    assert.match(res.body.error_description, message, JSON.stringify(fields));
  }
  const list = await fetch(`${satgate.url}/admin/routes`, { headers: adminHeaders });
  assert.deepEqual(((await list.json()) as { routes: Array<{ name: string }> }).routes.map((r) => r.name).sort(), ['open', 'secret']);
  // Canonical patterns, with holes, are accepted.
  assert.equal((await createRoute(satgate.url, { ...base, name: 'fine', path: '/r/:id/*', rewrite: '/v2/:id/*' })).status, 201);
});
