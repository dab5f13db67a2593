import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { adminHeaders, startTestApp } from './support/app';
import { resetDatabase } from './support/database';

/** On shutdown, in-flight requests finish before satgate and the services it started stop. */
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

/**
 * A rolling deploy: clients on kept-alive connections keep sending while shutdown runs. Every request written
 * to a connection satgate accepted gets its full answer (the ones answered during the drain say
 * `Connection: close`); once the listener is gone a new connection is refused, which a load balancer routes
 * elsewhere — that is the only way a request may not be served here.
 */
test('shutdown under keep-alive load: no request on an accepted connection fails', { timeout: 60_000 }, async () => {
  await resetDatabase();
  const satgate = await startTestApp({ DEMO: 'true' });
  const created = await fetch(`${satgate.url}/admin/routes`, {
    method: 'POST',
    headers: { ...adminHeaders, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'open-data', methods: ['GET'], path: '/open-data', rewrite: '/v1/data', origin: 'demo:', mode: 'none' }),
  });
  assert.equal(created.status, 201, await created.text());
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const tally = { ok: 0, closeAnswers: 0, refused: 0, failed: [] as string[] };
  let stop = false;
  let closeRequested = false;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const req = http.get(`${satgate.url}/open-data`, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) tally.ok += 1;
          else tally.failed.push(`status ${res.statusCode}`);
          if (closeRequested && res.headers.connection === 'close') tally.closeAnswers += 1;
          resolve();
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ECONNREFUSED') {
          tally.refused += 1;
          stop = true;
        } else tally.failed.push(err.code ?? err.message);
        resolve();
      });
    });
  const loops = Array.from({ length: 16 }, async () => {
    while (!stop) await one();
  });
  while (tally.ok < 300) await new Promise((r) => setTimeout(r, 20));
  closeRequested = true;
  await satgate.close();
  stop = true;
  await Promise.all(loops);
  agent.destroy();
  assert.deepEqual(tally.failed, [], `failed requests: ${tally.failed.length}`);
  assert.ok(tally.closeAnswers > 0, 'requests answered during the drain carried Connection: close');
});
