import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { adminHeaders, startTestApp } from './support/app';
import { query, resetDatabase } from './support/database';

let satgate: RunningSatgate;
before(async () => {
  await resetDatabase();
  satgate = await startTestApp();
});
after(() => satgate?.close());

test('GET /health reports the database (details with the admin token)', async () => {
  const res = await fetch(`${satgate.url}/health`, { headers: adminHeaders });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const body = (await res.json()) as any;
  assert.equal(body.status, 'ok');
  assert.deepEqual(body.checks.database, { ok: true });
  assert.deepEqual(body.down, []);
});

test('the admin API is 401 without the admin token, 401 with a wrong one, 200 with it', async () => {
  const none = await fetch(`${satgate.url}/admin/ping`);
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="satgate-admin"');
  assert.deepEqual(await none.json(), { error: 'unauthorized', error_description: 'admin token required' });

  const wrong = await fetch(`${satgate.url}/admin/ping`, { headers: { authorization: 'Bearer not-the-token' } });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.headers.get('www-authenticate'), 'Bearer realm="satgate-admin", error="invalid_token"');

  const ok = await fetch(`${satgate.url}/admin/ping`, { headers: adminHeaders });
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { ok: true });
});

test('every response carries a request id, and a sane caller id is kept', async () => {
  const res = await fetch(`${satgate.url}/health`, { headers: { 'x-request-id': 'trace-abc.123' } });
  assert.equal(res.headers.get('x-request-id'), 'trace-abc.123');
  const other = await fetch(`${satgate.url}/health`, { headers: { 'x-request-id': 'bad id with spaces' } });
  assert.match(other.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
});

test('GET /metrics serves Prometheus text with request counts and latency', async () => {
  await fetch(`${satgate.url}/health`);
  const res = await fetch(`${satgate.url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
  const text = await res.text();
  assert.match(text, /satgate_http_requests_total\{method="GET",route="\/health",status="200"\} \d+/);
  assert.match(text, /satgate_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/health"\}/);
});

test('unknown paths are a JSON 404, malformed JSON a 400 — never a 500', async () => {
  const missing = await fetch(`${satgate.url}/no/such/path`);
  assert.equal(missing.status, 404);
  assert.equal(((await missing.json()) as any).error, 'not_found');
  const bad = await fetch(`${satgate.url}/admin/ping`, {
    method: 'POST',
    headers: { ...adminHeaders, 'content-type': 'application/json' },
    body: '{not json',
  });
  assert.ok(bad.status === 400 || bad.status === 404, `status ${bad.status}`);
});

test('migrations ran at boot and a restart on the same database does not run them again', async () => {
  const before = await query<{ name: string }>('SELECT name FROM migrations ORDER BY id');
  const second = await startTestApp();
  try {
    const res = await fetch(`${second.url}/health`);
    assert.equal(res.status, 200);
  } finally {
    await second.close();
  }
  const afterRows = await query<{ name: string }>('SELECT name FROM migrations ORDER BY id');
  assert.deepEqual(afterRows, before);
});

test('input Postgres cannot store answers 400 in the common error shape, not 500', async () => {
  for (const path of ['/admin/clients/%00', '/admin/l402?service=%00', '/admin/routes/%00']) {
    const res = await fetch(`${satgate.url}${path}`, { headers: adminHeaders });
    assert.ok(res.status === 400 || res.status === 404, `${path}: ${res.status}`);
    const body = (await res.json()) as Record<string, unknown>;
    assert.ok(['invalid_request', 'not_found'].includes(String(body.error)), `${path}: ${JSON.stringify(body)}`);
    assert.equal(typeof body.error_description, 'string');
  }
});

test('a malformed URL is a JSON 400 from the framework layer, in the same shape', async () => {
  const res = await fetch(`${satgate.url}/x/%zz`);
  assert.equal(res.status, 400);
  assert.deepEqual(Object.keys((await res.json()) as object).sort(), ['error', 'error_description']);
});
