import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminHeaders, startTestApp } from './support/app';
import { resetDatabase } from './support/database';

/** Issue 2: on shutdown, in-flight requests finish before satgate and the services it started stop. */
test('a request in flight when shutdown begins still gets its full answer', { timeout: 60_000 }, async () => {
  await resetDatabase();
  const satgate = await startTestApp({ DEMO: 'true' });
  const created = await fetch(`${satgate.url}/admin/routes`, {
    method: 'POST',
    headers: { ...adminHeaders, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'slow', methods: ['GET'], path: '/slow', rewrite: '/v1/slow', origin: 'demo:', mode: 'none' }),
  });
  assert.equal(created.status, 201, await created.text());

  const inFlight = fetch(`${satgate.url}/slow?ms=1500`);
  await new Promise((r) => setTimeout(r, 300)); // the request has reached the origin
  const closed = satgate.close();
  const res = await inFlight;
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { slept: 1500 });
  await closed;
  await assert.rejects(fetch(`${satgate.url}/health`), 'the listener is gone after shutdown');
});
