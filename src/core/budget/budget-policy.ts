/**
 * From what the app asked to what the user is offered: the operator's default budget when the app named
 * none, never unlimited unless the operator allows it, and the user may only lower it.
 */
import { InvalidRequest } from '../oauth/errors';
import type { BudgetLimit } from './budget-view';
import type { BudgetRequest } from './budget-request';

/** The operator's rules (BUDGET_* configuration). */
export interface BudgetPolicy {
  /** Given to a `payments:send` request that names no budget (the demo: 10,000 sats per month). */
  defaultLimit: BudgetLimit;
  /** Whether an app may ask for, and an operator set, no limit at all (`max_amount=0`). */
  allowUnlimited: boolean;
}

/** The budget to offer for `request`. Throws InvalidRequest (redirected to the app) for what cannot be granted. */
export function offeredBudget(request: BudgetRequest, policy: BudgetPolicy): BudgetLimit {
  if (request.maxAmountSat === undefined) {
    if (request.renewal !== undefined) throw new InvalidRequest('budget_renewal needs max_amount');
    return { ...policy.defaultLimit };
  }
  if (request.maxAmountSat === 0) {
    if (!policy.allowUnlimited) throw new InvalidRequest('this server does not grant payments:send without a budget (max_amount=0)');
    return { maxAmountSat: null, renewal: request.renewal ?? 'never' };
  }
  return { maxAmountSat: request.maxAmountSat, renewal: request.renewal ?? 'never' };
}

/**
 * The user's choice on the consent page: a lower maximum than offered (never higher), as a positive whole
 * number of sats. Returns the budget to grant, or a message for the page.
 */
export function loweredBudget(offered: BudgetLimit, userMax: string | undefined): BudgetLimit | { problem: string } {
  if (userMax === undefined || userMax.trim() === '') return offered;
  const text = userMax.trim().replace(/[,_\s]/g, '');
  if (!/^\d{1,16}$/.test(text) || Number(text) < 1) return { problem: 'Enter the budget as a whole number of sats, at least 1.' };
  const max = Number(text);
  if (offered.maxAmountSat !== null && max > offered.maxAmountSat) {
    return { problem: `The app asked for at most ${offered.maxAmountSat} sats; you can lower that, not raise it.` };
  }
  if (offered.maxAmountSat === null && max > Number.MAX_SAFE_INTEGER) return { problem: 'That budget is too large.' };
  return { maxAmountSat: max, renewal: offered.renewal };
}
