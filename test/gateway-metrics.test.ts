import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { adminHeaders, startTestApp } from './support/app';
import { resetDatabase } from './support/database';

/** /metrics names each gateway route, not the catch-all `/*`, for answers and refusals alike. */
let satgate: RunningSatgate;
before(async () => {
  await resetDatabase();
  satgate = await startTestApp({ DEMO: 'true' });
});
after(() => satgate?.close());

test('proxied requests are counted under gateway:<route name>', async () => {
  const open = await fetch(`${satgate.url}/admin/routes`, {
    method: 'POST',
    headers: { ...adminHeaders, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'metrics-open', methods: ['GET'], path: '/metrics-open', rewrite: '/v1/data', origin: 'demo:', mode: 'none' }),
  });
  assert.equal(open.status, 201);
  assert.equal((await fetch(`${satgate.url}/metrics-open`)).status, 200);
  assert.equal((await fetch(`${satgate.url}/balance`)).status, 401, 'the seeded oauth route refuses an anonymous caller');

  const text = await (await fetch(`${satgate.url}/metrics`)).text();
  assert.match(text, /satgate_http_requests_total\{method="GET",route="gateway:metrics-open",status="200"\} 1/);
  assert.match(text, /satgate_http_requests_total\{method="GET",route="gateway:[^"]+",status="401"\} 1/);
  assert.doesNotMatch(text, /route="\/\*"/);
});
