/**
 * A budget in words for the consent and connected-apps pages ("up to 10,000 sats per month, renews
 * 1 January"), dates in the operator's time zone.
 */
import { BudgetLimit } from './budget-view';
import { localDateParts, periodAt, type BudgetRenewal } from './period';

const PER: Record<BudgetRenewal, string> = {
  daily: 'per day',
  weekly: 'per week',
  monthly: 'per month',
  yearly: 'per year',
  never: 'in total',
};

/** `10000` -> `10,000` (grouping fixed, independent of the server's locale). */
export function formatSats(sats: number): string {
  return String(sats).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "up to 10,000 sats per month, renews 1 January"; "no spending limit" when unlimited. */
export function budgetInWords(limit: BudgetLimit, now: Date, zone: string): string {
  if (limit.maxAmountSat === null) return 'no spending limit';
  const head = `up to ${formatSats(limit.maxAmountSat)} sats ${PER[limit.renewal]}`;
  const { end } = periodAt(limit.renewal, now, zone);
  if (!end) return `${head}, never renews`;
  const d = localDateParts(end, zone);
  if (limit.renewal === 'weekly') return `${head}, renews ${d.weekday} ${d.day} ${d.month}`;
  if (limit.renewal === 'yearly') return `${head}, renews ${d.day} ${d.month} ${d.year}`;
  return `${head}, renews ${d.day} ${d.month}`;
}
