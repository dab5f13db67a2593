/**
 * How a budget and its usage are shown to the app (introspection, refusals), the user (`GET /clients`, the
 * pages) and the operator (`/admin/grants`): one wire shape, snake_case as OAuth responses are.
 */
import { periodAt, type BudgetRenewal } from './period';

/** A grant's budget as stored. `maxAmountSat` null = unlimited (only where the operator allows it). */
export interface BudgetLimit {
  maxAmountSat: number | null;
  renewal: BudgetRenewal;
}

/** The wire shape. */
export interface BudgetView {
  /** null: no limit. */
  max_amount_sat: number | null;
  budget_renewal: BudgetRenewal;
  /** Settled amounts + fees, plus amounts and fee reserves of payments still pending, in this period. */
  used_sat: number;
  /** null when unlimited; never negative. */
  remaining_sat: number | null;
  /** Start of the next period (RFC 3339, UTC); null for `never`. */
  renews_at: string | null;
  /** Start of the current period; null for `never`. */
  period_start: string | null;
  /** True once 80 % or more is used (the app is warned on payment routes, the user on the apps page). */
  warning: boolean;
}

/** Share of the budget from which the app and the user are warned. */
export const BUDGET_WARNING_RATIO = 0.8;

/** The view of `limit` with `usedSat` used, at `now` in `zone`. */
export function budgetView(limit: BudgetLimit, usedSat: number, now: Date, zone: string): BudgetView {
  const period = periodAt(limit.renewal, now, zone);
  const max = limit.maxAmountSat;
  return {
    max_amount_sat: max,
    budget_renewal: limit.renewal,
    used_sat: usedSat,
    remaining_sat: max === null ? null : Math.max(0, max - usedSat),
    renews_at: period.end ? period.end.toISOString() : null,
    period_start: period.start ? period.start.toISOString() : null,
    warning: max !== null && usedSat >= max * BUDGET_WARNING_RATIO,
  };
}
