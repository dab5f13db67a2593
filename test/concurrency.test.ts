import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { startTestApp } from './support/app';
import { resetDatabase } from './support/database';
import { basic, registerClient } from './oauth.helpers';

/**
 * Concurrent requests that each run several queries must all get correct answers. Regression: on the
 * embedded Postgres, pooled connections' protocol messages interleaved and ~1 in 4 concurrent token
 * requests failed (401 invalid_client with the right secret, or 500).
 */
let satgate: RunningSatgate;
before(async () => {
  await resetDatabase();
  satgate = await startTestApp();
});
after(() => satgate?.close());

test('40 concurrent client_credentials grants all succeed', { timeout: 60_000 }, async () => {
  const client = await registerClient(satgate.url, { domain: 'https://app.example.com/cb', public: false, scopes: ['balance:read'] });
  const statuses = await Promise.all(
    Array.from({ length: 40 }, async () => {
      const res = await fetch(`${satgate.url}/oauth/token`, {
        method: 'POST',
        headers: { authorization: basic(client.clientId, client.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&scope=balance:read',
      });
      await res.arrayBuffer();
      return res.status;
    }),
  );
  assert.deepEqual(statuses, Array(40).fill(200));
});
