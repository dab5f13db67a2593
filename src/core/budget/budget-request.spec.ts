import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../oauth/errors';
import { parseBudgetRequest, PAYMENT_BUDGET_TYPE } from './budget-request';
import { loweredBudget, offeredBudget, type BudgetPolicy } from './budget-policy';
import { InvalidAuthorizationDetails } from './errors';

const now = new Date('2026-12-03T12:00:00Z');
const future = Math.floor(now.getTime() / 1000) + 86_400;

function refused(params: Record<string, unknown>, type: typeof InvalidRequest | typeof InvalidAuthorizationDetails, message: RegExp): void {
  assert.throws(
    () => parseBudgetRequest(params, now),
    (err: unknown) => err instanceof type && message.test((err as Error).message),
  );
}

describe('parseBudgetRequest: Alby Hub connect parameters', () => {
  it('reads max_amount, budget_renewal and expires_at', () => {
    assert.deepEqual(parseBudgetRequest({ max_amount: '10000', budget_renewal: 'monthly', expires_at: String(future) }, now), {
      maxAmountSat: 10000,
      renewal: 'monthly',
      expiresAt: new Date(future * 1000),
    });
  });
  it('is empty without budget parameters', () => {
    assert.deepEqual(parseBudgetRequest({ scope: 'payments:send' }, now), {});
  });
  it('keeps 0 (unlimited, as Alby Hub means it) for the policy to decide', () => {
    assert.deepEqual(parseBudgetRequest({ max_amount: '0' }, now), { maxAmountSat: 0 });
  });
  it('refuses bad values', () => {
    refused({ max_amount: '-1' }, InvalidRequest, /max_amount must be a whole number of sats/);
    refused({ max_amount: '1.5' }, InvalidRequest, /max_amount must be a whole number of sats/);
    refused({ max_amount: '2100000000000001' }, InvalidRequest, /from 0 to 2100000000000000/);
    refused({ max_amount: ['1', '2'] }, InvalidRequest, /must not be repeated/);
    refused({ budget_renewal: 'fortnightly' }, InvalidRequest, /budget_renewal must be one of daily, weekly, monthly, yearly, never/);
    refused({ expires_at: '2026-12-31' }, InvalidRequest, /expires_at must be a Unix time in seconds/);
    refused({ expires_at: String(Math.floor(now.getTime() / 1000)) }, InvalidRequest, /expires_at must be in the future/);
  });
});

describe('parseBudgetRequest: RFC 9396 authorization_details', () => {
  const details = (v: unknown): Record<string, unknown> => ({ authorization_details: JSON.stringify(v) });

  it(`reads one ${PAYMENT_BUDGET_TYPE} entry`, () => {
    assert.deepEqual(parseBudgetRequest(details([{ type: 'payment_budget', max_amount_sat: 1000, budget_renewal: 'weekly', expires_at: future }]), now), {
      maxAmountSat: 1000,
      renewal: 'weekly',
      expiresAt: new Date(future * 1000),
    });
  });
  it('an empty array asks for nothing', () => {
    assert.deepEqual(parseBudgetRequest(details([]), now), {});
  });
  it('agrees with the connect parameters, or is refused', () => {
    assert.deepEqual(parseBudgetRequest({ max_amount: '1000', ...details([{ type: 'payment_budget', max_amount_sat: 1000, budget_renewal: 'daily' }]) }, now), {
      maxAmountSat: 1000,
      renewal: 'daily',
    });
    refused({ max_amount: '999', ...details([{ type: 'payment_budget', max_amount_sat: 1000 }]) }, InvalidRequest, /disagree on max_amount/);
    refused({ budget_renewal: 'weekly', ...details([{ type: 'payment_budget', max_amount_sat: 1, budget_renewal: 'daily' }]) }, InvalidRequest, /disagree on budget_renewal/);
  });
  it('refuses what RFC 9396 §5 calls invalid_authorization_details', () => {
    refused({ authorization_details: '{not json' }, InvalidAuthorizationDetails, /must be a JSON array/);
    refused(details({ type: 'payment_budget' }), InvalidAuthorizationDetails, /must be a JSON array/);
    refused(details(['x']), InvalidAuthorizationDetails, /each authorization_details entry must be an object/);
    refused(details([{ type: 'payment_initiation', amount: 1 }]), InvalidAuthorizationDetails, /unsupported authorization_details type "payment_initiation"; supported: payment_budget/);
    refused(details([{ max_amount_sat: 1 }]), InvalidAuthorizationDetails, /unsupported authorization_details type null/);
    refused(details([{ type: 'payment_budget', max_amount_sat: 1 }, { type: 'payment_budget', max_amount_sat: 2 }]), InvalidAuthorizationDetails, /at most one payment_budget entry/);
    refused(details([{ type: 'payment_budget', max_amount_sat: 1, currency: 'EUR' }]), InvalidAuthorizationDetails, /unknown payment_budget field: currency/);
    refused(details([{ type: 'payment_budget' }]), InvalidAuthorizationDetails, /payment_budget needs max_amount_sat/);
    refused(details([{ type: 'payment_budget', max_amount_sat: '1e3' }]), InvalidAuthorizationDetails, /max_amount_sat must be a whole number of sats/);
    refused(details([{ type: 'payment_budget', max_amount_sat: 1, budget_renewal: 'hourly' }]), InvalidAuthorizationDetails, /budget_renewal must be one of/);
    refused({ authorization_details: `[${' '.repeat(5000)}]` }, InvalidAuthorizationDetails, /at most 4096 characters/);
  });
  it('the error code is the one RFC 9396 §5 defines', () => {
    try {
      parseBudgetRequest(details([{ type: 'x' }]), now);
      assert.fail('should have thrown');
    } catch (err) {
      assert.deepEqual((err as InvalidAuthorizationDetails).toBody(), {
        error: 'invalid_authorization_details',
        error_description: 'unsupported authorization_details type "x"; supported: payment_budget',
      });
      assert.equal((err as InvalidAuthorizationDetails).status, 400);
    }
  });
});

describe('offeredBudget / loweredBudget', () => {
  const policy: BudgetPolicy = { defaultLimit: { maxAmountSat: 10_000, renewal: 'monthly' }, allowUnlimited: false };

  it('gives the default to a request without a budget', () => {
    assert.deepEqual(offeredBudget({}, policy), { maxAmountSat: 10_000, renewal: 'monthly' });
  });
  it('a max_amount without renewal is a lifetime cap', () => {
    assert.deepEqual(offeredBudget({ maxAmountSat: 500 }, policy), { maxAmountSat: 500, renewal: 'never' });
  });
  it('a budget_renewal alone is refused', () => {
    assert.throws(() => offeredBudget({ renewal: 'daily' }, policy), /budget_renewal needs max_amount/);
  });
  it('unlimited only where the operator allows it', () => {
    assert.throws(() => offeredBudget({ maxAmountSat: 0 }, policy), (e: unknown) => e instanceof InvalidRequest && /without a budget/.test((e as Error).message));
    assert.deepEqual(offeredBudget({ maxAmountSat: 0, renewal: 'daily' }, { ...policy, allowUnlimited: true }), { maxAmountSat: null, renewal: 'daily' });
  });
  it('the user may lower the maximum, not raise it', () => {
    const offered = { maxAmountSat: 10_000, renewal: 'monthly' as const };
    assert.deepEqual(loweredBudget(offered, undefined), offered);
    assert.deepEqual(loweredBudget(offered, ''), offered);
    assert.deepEqual(loweredBudget(offered, '2,500'), { maxAmountSat: 2500, renewal: 'monthly' });
    assert.deepEqual(loweredBudget(offered, '10000'), offered);
    assert.deepEqual(loweredBudget(offered, '10001'), { problem: 'The app asked for at most 10000 sats; you can lower that, not raise it.' });
    assert.deepEqual(loweredBudget(offered, '0'), { problem: 'Enter the budget as a whole number of sats, at least 1.' });
    assert.deepEqual(loweredBudget(offered, 'lots'), { problem: 'Enter the budget as a whole number of sats, at least 1.' });
    assert.deepEqual(loweredBudget({ maxAmountSat: null, renewal: 'never' }, '50'), { maxAmountSat: 50, renewal: 'never' });
  });
});
