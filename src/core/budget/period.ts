/**
 * Budget periods, calendar-aligned as in Alby Hub's app permissions: a daily budget renews at midnight, a
 * weekly one on Monday 00:00 (ISO 8601 weeks), a monthly one on the 1st, a yearly one on 1 January, all in
 * the operator's time zone; `never` is a lifetime cap. Time-zone and DST arithmetic is luxon's (IANA data
 * through Intl), so a day across a DST change is 23 or 25 hours and midnight is always local midnight.
 */
import { DateTime, IANAZone } from 'luxon';

/** How often a budget starts again from zero. */
export const BUDGET_RENEWALS = ['daily', 'weekly', 'monthly', 'yearly', 'never'] as const;
export type BudgetRenewal = (typeof BUDGET_RENEWALS)[number];

/** True for one of {@link BUDGET_RENEWALS}. */
export function isBudgetRenewal(value: unknown): value is BudgetRenewal {
  return typeof value === 'string' && (BUDGET_RENEWALS as readonly string[]).includes(value);
}

/** The period that contains an instant: `[start, end)`. Both are null for `never` (one period forever). */
export interface BudgetPeriod {
  start: Date | null;
  /** When usage starts again from zero: `renews_at`. */
  end: Date | null;
}

const UNIT: Record<Exclude<BudgetRenewal, 'never'>, 'day' | 'week' | 'month' | 'year'> = {
  daily: 'day',
  weekly: 'week',
  monthly: 'month',
  yearly: 'year',
};

/** True when `zone` is an IANA time-zone name this runtime knows (`UTC`, `Europe/Berlin`, ...). */
export function isTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/**
 * The period of `renewal` containing `at`, in `zone`. Throws a TypeError for an unknown zone (config is
 * validated at boot, so this is a programming error). luxon's `startOf('week')` is the ISO week: Monday.
 */
export function periodAt(renewal: BudgetRenewal, at: Date, zone: string): BudgetPeriod {
  if (renewal === 'never') return { start: null, end: null };
  if (!isTimeZone(zone)) throw new TypeError(`unknown time zone: ${zone}`);
  const unit = UNIT[renewal];
  const local = DateTime.fromJSDate(at, { zone });
  const start = local.startOf(unit);
  const end = start.plus({ [unit]: 1 }).startOf(unit);
  return { start: start.toJSDate(), end: end.toJSDate() };
}

/** The calendar date (`YYYY-MM-DD`) and weekday of an instant in `zone`, for "renews Monday 8 December". */
export function localDateParts(at: Date, zone: string): { weekday: string; day: number; month: string; year: number } {
  const d = DateTime.fromJSDate(at, { zone }).setLocale('en-GB');
  return { weekday: d.toFormat('cccc'), day: d.day, month: d.toFormat('LLLL'), year: d.year };
}
