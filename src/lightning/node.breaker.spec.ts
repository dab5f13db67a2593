import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeCircuitBreaker } from './node.breaker';

test('the breaker opens on a failure, probes until the node answers, then closes and says so once', async () => {
  let probes = 0;
  let ups = 0;
  let nodeUp = false;
  const breaker = new NodeCircuitBreaker(
    async () => {
      probes += 1;
      if (!nodeUp) throw new Error('still down');
    },
    () => void (ups += 1),
    5,
  );
  assert.equal(breaker.isOpen, false);
  breaker.trip();
  breaker.trip();
  assert.equal(breaker.isOpen, true);
  assert.ok(breaker.openSince instanceof Date);
  while (probes < 3) await new Promise((r) => setTimeout(r, 5));
  assert.equal(breaker.isOpen, true, 'still open while probes fail');
  nodeUp = true;
  while (breaker.isOpen) await new Promise((r) => setTimeout(r, 5));
  assert.equal(ups, 1);
  breaker.reset();
  assert.equal(ups, 1, 'closing a closed breaker tells no one');
  breaker.stop();
});
