import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { budgetView } from './budget-view';
import { budgetInWords, formatSats } from './budget-words';
import { BudgetExceeded } from './errors';

const now = new Date('2026-12-03T13:15:00Z');

describe('budgetView', () => {
  it('shows used, remaining and the next renewal', () => {
    assert.deepEqual(budgetView({ maxAmountSat: 1000, renewal: 'monthly' }, 930, now, 'UTC'), {
      max_amount_sat: 1000,
      budget_renewal: 'monthly',
      used_sat: 930,
      remaining_sat: 70,
      renews_at: '2027-01-01T00:00:00.000Z',
      period_start: '2026-12-01T00:00:00.000Z',
      warning: true,
    });
  });
  it('warns from 80 % on, and never shows a negative remainder', () => {
    assert.equal(budgetView({ maxAmountSat: 1000, renewal: 'never' }, 799, now, 'UTC').warning, false);
    assert.equal(budgetView({ maxAmountSat: 1000, renewal: 'never' }, 800, now, 'UTC').warning, true);
    assert.equal(budgetView({ maxAmountSat: 1000, renewal: 'never' }, 1010, now, 'UTC').remaining_sat, 0);
  });
  it('an unlimited budget has no remainder and no warning', () => {
    const v = budgetView({ maxAmountSat: null, renewal: 'never' }, 5, now, 'UTC');
    assert.deepEqual([v.remaining_sat, v.warning, v.renews_at], [null, false, null]);
  });
});

describe('budgetInWords', () => {
  const cases: [number | null, Parameters<typeof budgetInWords>[0]['renewal'], string, string][] = [
    [10_000, 'monthly', 'UTC', 'up to 10,000 sats per month, renews 1 January'],
    [1000, 'weekly', 'UTC', 'up to 1,000 sats per week, renews Monday 7 December'],
    [50, 'daily', 'UTC', 'up to 50 sats per day, renews 4 December'],
    [1_000_000, 'yearly', 'UTC', 'up to 1,000,000 sats per year, renews 1 January 2027'],
    [21, 'never', 'UTC', 'up to 21 sats in total, never renews'],
    [null, 'never', 'UTC', 'no spending limit'],
    // 23:00 UTC on 3 December is already 4 December in Tokyo: the day renews on the 5th there
    [50, 'daily', 'Asia/Tokyo', 'up to 50 sats per day, renews 5 December'],
  ];
  for (const [max, renewal, zone, words] of cases) {
    it(words, () => {
      const at = zone === 'Asia/Tokyo' ? new Date('2026-12-03T23:00:00Z') : now;
      assert.equal(budgetInWords({ maxAmountSat: max, renewal }, at, zone), words);
    });
  }
  it('groups digits in threes', () => {
    assert.deepEqual([0, 999, 1000, 1234567].map(formatSats), ['0', '999', '1,000', '1,234,567']);
  });
});

describe('BudgetExceeded', () => {
  it('is a 403 with the budget in the body and a Bearer challenge naming the error', () => {
    const view = budgetView({ maxAmountSat: 1000, renewal: 'monthly' }, 900, now, 'UTC');
    const err = new BudgetExceeded(view, 310);
    assert.equal(err.status, 403);
    assert.deepEqual(err.toBody(), {
      error: 'budget_exceeded',
      error_description: 'this payment needs 310 sats (amount + fee reserve) but only 100 of the 1000-sat budget are left; it renews at 2027-01-01T00:00:00.000Z',
      budget: view,
    });
    assert.deepEqual(err.headers(), {
      'WWW-Authenticate': 'Bearer realm="satgate", error="budget_exceeded", error_description="the payment exceeds the remaining budget"',
    });
  });
});
