/**
 * The budget an app asks for at `/oauth/authorize`, in either of two forms:
 *
 * - Alby Hub's connect-link parameters: `max_amount` (sats), `budget_renewal` (`daily` | `weekly` |
 *   `monthly` | `yearly` | `never`, default `never`) and `expires_at` (Unix seconds: when the grant itself ends);
 * - RFC 9396 rich authorization requests: `authorization_details`, a JSON array holding one object of the type
 *   {@link PAYMENT_BUDGET_TYPE}: `{"type":"payment_budget","max_amount_sat":10000,"budget_renewal":"monthly"}`,
 *   optionally with `expires_at` (Unix seconds).
 *
 * Both at once must agree. Refusals are OAuth errors the authorization endpoint redirects to the client.
 */
import { InvalidRequest } from '../oauth/errors';
import { readParam, type RawParams } from '../oauth/params';
import { InvalidAuthorizationDetails } from './errors';
import { BUDGET_RENEWALS, isBudgetRenewal, type BudgetRenewal } from './period';

/** The RFC 9396 `type` satgate defines for a spending budget (advertised in the server metadata). */
export const PAYMENT_BUDGET_TYPE = 'payment_budget';

/** Largest budget: 21 million bitcoin in sats. Exact in a JS number and in Postgres `bigint`. */
export const MAX_BUDGET_SATS = 2_100_000_000_000_000;

/** Longest `authorization_details` read (a budget object is ~100 bytes). */
export const MAX_AUTHORIZATION_DETAILS_LENGTH = 4096;

/** What the app asked for; every field optional (a request without any gets the operator's default). */
export interface BudgetRequest {
  /** 0 = unlimited, as in Alby Hub's links (granted only where the operator allows unlimited grants). */
  maxAmountSat?: number;
  renewal?: BudgetRenewal;
  /** When the grant ends, whatever the tokens' own lifetimes. */
  expiresAt?: Date;
}

const DETAIL_FIELDS = new Set(['type', 'max_amount_sat', 'budget_renewal', 'expires_at']);

/** Parses the budget parameters; `now` bounds `expires_at` (it must be in the future). */
export function parseBudgetRequest(params: RawParams, now: Date): BudgetRequest {
  const fromParams = fromConnectParams(params, now);
  const rawDetails = readParam(params, 'authorization_details');
  if (rawDetails === undefined) return fromParams;
  const fromDetails = fromAuthorizationDetails(rawDetails, now);
  return merge(fromParams, fromDetails);
}

function fromConnectParams(params: RawParams, now: Date): BudgetRequest {
  const out: BudgetRequest = {};
  const max = readParam(params, 'max_amount');
  if (max !== undefined) out.maxAmountSat = satsOf(max, 'max_amount', (m) => new InvalidRequest(m));
  const renewal = readParam(params, 'budget_renewal');
  if (renewal !== undefined) {
    if (!isBudgetRenewal(renewal)) throw new InvalidRequest(`budget_renewal must be one of ${BUDGET_RENEWALS.join(', ')}`);
    out.renewal = renewal;
  }
  const expires = readParam(params, 'expires_at');
  if (expires !== undefined) out.expiresAt = expiryOf(expires, now, 'expires_at', (m) => new InvalidRequest(m));
  return out;
}

function fromAuthorizationDetails(raw: string, now: Date): BudgetRequest {
  const bad = (m: string): InvalidAuthorizationDetails => new InvalidAuthorizationDetails(m);
  if (raw.length > MAX_AUTHORIZATION_DETAILS_LENGTH) throw bad(`authorization_details must be at most ${MAX_AUTHORIZATION_DETAILS_LENGTH} characters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw bad('authorization_details must be a JSON array (RFC 9396 §2)');
  }
  if (!Array.isArray(parsed)) throw bad('authorization_details must be a JSON array (RFC 9396 §2)');
  const out: BudgetRequest = {};
  let seen = false;
  for (const entry of parsed) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw bad('each authorization_details entry must be an object');
    const detail = entry as Record<string, unknown>;
    if (detail.type !== PAYMENT_BUDGET_TYPE) {
      throw bad(`unsupported authorization_details type ${JSON.stringify(detail.type ?? null).slice(0, 80)}; supported: ${PAYMENT_BUDGET_TYPE}`);
    }
    if (seen) throw bad(`at most one ${PAYMENT_BUDGET_TYPE} entry`);
    seen = true;
    const unknown = Object.keys(detail).filter((k) => !DETAIL_FIELDS.has(k));
    if (unknown.length) throw bad(`unknown ${PAYMENT_BUDGET_TYPE} field: ${unknown.slice(0, 5).join(', ').slice(0, 120)}`);
    if (detail.max_amount_sat === undefined) throw bad(`${PAYMENT_BUDGET_TYPE} needs max_amount_sat`);
    out.maxAmountSat = satsOf(detail.max_amount_sat, 'max_amount_sat', bad);
    if (detail.budget_renewal !== undefined) {
      if (!isBudgetRenewal(detail.budget_renewal)) throw bad(`budget_renewal must be one of ${BUDGET_RENEWALS.join(', ')}`);
      out.renewal = detail.budget_renewal;
    }
    if (detail.expires_at !== undefined) out.expiresAt = expiryOf(detail.expires_at, now, 'expires_at', bad);
  }
  return out;
}

/** The two forms must not contradict each other; each fills what the other left out. */
function merge(a: BudgetRequest, b: BudgetRequest): BudgetRequest {
  const out: BudgetRequest = { ...a };
  for (const key of ['maxAmountSat', 'renewal', 'expiresAt'] as const) {
    const x = a[key];
    const y = b[key];
    if (y === undefined) continue;
    if (x !== undefined && String(x instanceof Date ? x.getTime() : x) !== String(y instanceof Date ? y.getTime() : y)) {
      throw new InvalidRequest(`the connect parameters and authorization_details disagree on ${key === 'maxAmountSat' ? 'max_amount' : key === 'renewal' ? 'budget_renewal' : 'expires_at'}`);
    }
    (out as Record<string, unknown>)[key] = y;
  }
  return out;
}

/** A whole number of sats, 0..MAX_BUDGET_SATS, from a decimal string or a JSON integer. */
function satsOf(raw: unknown, name: string, bad: (m: string) => Error): number {
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (typeof text !== 'string' || !/^\d{1,16}$/.test(text) || Number(text) > MAX_BUDGET_SATS) {
    throw bad(`${name} must be a whole number of sats from 0 to ${MAX_BUDGET_SATS}`);
  }
  return Number(text);
}

/** Unix seconds in the future, as Alby Hub's connect links carry them. */
function expiryOf(raw: unknown, now: Date, name: string, bad: (m: string) => Error): Date {
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (typeof text !== 'string' || !/^\d{1,12}$/.test(text)) throw bad(`${name} must be a Unix time in seconds`);
  const at = new Date(Number(text) * 1000);
  if (at.getTime() <= now.getTime()) throw bad(`${name} must be in the future`);
  return at;
}
