import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT_LIMITS, decide, decideCounted, IP_LIMITS } from './throttle.policy';

const t0 = new Date('2025-01-01T00:00:00Z');
const at = (s: number): Date => new Date(t0.getTime() + s * 1000);
const limits = { maxFailures: 3, windowSeconds: 600 };

test('the limits are 5 per account and 20 per IP in 15 minutes', () => {
  assert.deepEqual(ACCOUNT_LIMITS, { maxFailures: 5, windowSeconds: 900 });
  assert.deepEqual(IP_LIMITS, { maxFailures: 20, windowSeconds: 900 });
});

test('table: blocked only while the window is open and failures reached the limit', () => {
  const rows: Array<[string, { failures: number; windowStartedAt: Date } | undefined, Date, ReturnType<typeof decide>]> = [
    ['no counter', undefined, at(0), { blocked: false }],
    ['below the limit', { failures: 2, windowStartedAt: t0 }, at(10), { blocked: false }],
    ['at the limit', { failures: 3, windowStartedAt: t0 }, at(10), { blocked: true, retryAfterSeconds: 590 }],
    ['over the limit', { failures: 9, windowStartedAt: t0 }, at(599), { blocked: true, retryAfterSeconds: 1 }],
    ['window just ended', { failures: 9, windowStartedAt: t0 }, at(600), { blocked: false }],
    ['partial second rounds up', { failures: 3, windowStartedAt: t0 }, new Date(t0.getTime() + 598_500), { blocked: true, retryAfterSeconds: 2 }],
  ];
  for (const [name, counter, now, expected] of rows) assert.deepEqual(decide(counter, limits, now), expected, name);
});

test('table: an attempt counted before checking proceeds while it is among the first maxFailures of its window', () => {
  const rows: Array<[string, { failures: number; windowStartedAt: Date }, Date, ReturnType<typeof decideCounted>]> = [
    ['first attempt', { failures: 1, windowStartedAt: t0 }, at(0), { blocked: false }],
    ['the last allowed attempt', { failures: 3, windowStartedAt: t0 }, at(10), { blocked: false }],
    ['one over the limit', { failures: 4, windowStartedAt: t0 }, at(10), { blocked: true, retryAfterSeconds: 590 }],
    ['far over the limit', { failures: 40, windowStartedAt: t0 }, at(599), { blocked: true, retryAfterSeconds: 1 }],
  ];
  for (const [name, counter, now, expected] of rows) assert.deepEqual(decideCounted(counter, limits, now), expected, name);
});
