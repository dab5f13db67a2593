import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { adminHeaders, startTestApp } from './support/app';
import { resetDatabase } from './support/database';

/** /health tells the public only "ok" or not; node identity and raw error text need the admin token. */
let satgate: RunningSatgate;
let guarded: RunningSatgate;
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
before(async () => {
  await resetDatabase();
  satgate = await startTestApp();
  guarded = await startTestApp({ METRICS_TOKEN });
});
after(async () => {
  await satgate?.close();
  await guarded?.close();
});

test('GET /health without the admin token answers a bare status, no checks or errors', async () => {
  const res = await fetch(`${satgate.url}/health`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.deepEqual(await res.json(), { status: 'ok' });

  const wrong = await fetch(`${satgate.url}/health`, { headers: { authorization: 'Bearer not-the-admin-token' } });
  assert.equal(wrong.status, 200);
  assert.deepEqual(await wrong.json(), { status: 'ok' });
});

test('GET /health with the admin token names every check', async () => {
  const res = await fetch(`${satgate.url}/health`, { headers: adminHeaders });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean }>; down: string[] };
  assert.equal(body.status, 'ok');
  assert.deepEqual(body.checks.database, { ok: true });
  assert.ok('lightning' in body.checks);
  assert.deepEqual(body.down, []);
});

test('/metrics is public without METRICS_TOKEN', async () => {
  const res = await fetch(`${satgate.url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /satgate_http_requests_total/);
});

test('/metrics with METRICS_TOKEN set: 401 without it or with another token, 200 with it', async () => {
  const none = await fetch(`${guarded.url}/metrics`);
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="satgate-metrics"');
  assert.deepEqual(await none.json(), { error: 'unauthorized', error_description: 'the metrics token is required' });

  const admin = await fetch(`${guarded.url}/metrics`, { headers: adminHeaders });
  assert.equal(admin.status, 401, 'the admin token is not the metrics token');
  assert.equal(admin.headers.get('www-authenticate'), 'Bearer realm="satgate-metrics", error="invalid_token"');

  const ok = await fetch(`${guarded.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  assert.equal(ok.status, 200);
  assert.match(ok.headers.get('content-type') ?? '', /^text\/plain/);
  assert.match(await ok.text(), /satgate_http_requests_total/);
});
