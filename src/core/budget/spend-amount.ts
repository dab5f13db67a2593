/**
 * What a payment request will spend, read before it is forwarded, so the budget can be reserved first.
 * Alby's wallet API (LNDhub-compatible) has two spending calls:
 *
 * - `POST /payments/bolt11` `{"invoice": "lnbc...", "amount": 21}`: the invoice's own amount; `amount` only
 *   for a zero-amount invoice (if both are given they must agree, or an origin could pay the other one);
 * - `POST /payments/keysend` `{"destination": "02...", "amount": 21, ...}`: `amount` sats.
 *
 * BOLT 11 invoices are decoded (signature checked) with the `invoices` package, as everywhere in satgate.
 */
import { UnreadableSpend } from './errors';

/** How a route's request body says what it spends (the route's `spend` column). */
export type SpendRule =
  | { from: 'bolt11-body'; invoiceField: string; amountField: string }
  | { from: 'keysend-body'; amountField: string };

/** The two defaults, matching Alby's wallet API field names. */
export const BOLT11_SPEND: SpendRule = Object.freeze({ from: 'bolt11-body', invoiceField: 'invoice', amountField: 'amount' });
export const KEYSEND_SPEND: SpendRule = Object.freeze({ from: 'keysend-body', amountField: 'amount' });

/** What one request spends. */
export interface Spend {
  /** Sats the destination gets (a sub-sat invoice amount rounds up: the budget counts whole sats). */
  amountSat: number;
  /** Known up front for BOLT 11 (the invoice's hash), so an unknown outcome can be looked up on the node. */
  paymentHash?: string;
}

interface ParsedPaymentRequest {
  id: string;
  mtokens?: string;
}

// `invoices` ships no type declarations; the one function used, typed locally.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parsePaymentRequest } = require('invoices') as { parsePaymentRequest(a: { request: string }): ParsedPaymentRequest };

/** Longest invoice read (BOLT 11 has no hard limit; real ones are well under 2,000 characters). */
const MAX_INVOICE_LENGTH = 7089;

/** Parses `body` (the JSON request body, already parsed) under `rule`. Throws UnreadableSpend (400). */
export function spendOf(rule: SpendRule, body: unknown): Spend {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new UnreadableSpend('body', 'a payment request needs a JSON object body');
  }
  const fields = body as Record<string, unknown>;
  if (rule.from === 'keysend-body') {
    const amount = fields[rule.amountField];
    if (amount === undefined) throw new UnreadableSpend(rule.amountField, `${rule.amountField} is required: the sats to send`);
    return { amountSat: positiveSats(amount, rule.amountField) };
  }
  const invoice = fields[rule.invoiceField];
  if (typeof invoice !== 'string' || invoice.trim() === '') {
    throw new UnreadableSpend(rule.invoiceField, `${rule.invoiceField} is required: a BOLT 11 payment request`);
  }
  if (invoice.length > MAX_INVOICE_LENGTH) throw new UnreadableSpend(rule.invoiceField, `${rule.invoiceField} is too long for a BOLT 11 payment request`);
  let parsed: ParsedPaymentRequest;
  try {
    parsed = parsePaymentRequest({ request: invoice.trim().replace(/^lightning:/i, '') });
  } catch (err) {
    throw new UnreadableSpend(rule.invoiceField, `${rule.invoiceField} is not a valid BOLT 11 payment request (${String((err as Error).message).slice(0, 80)})`);
  }
  const msat = parsed.mtokens ? BigInt(parsed.mtokens) : 0n;
  const given = fields[rule.amountField];
  if (msat === 0n) {
    if (given === undefined || given === null) {
      throw new UnreadableSpend(rule.amountField, `the invoice has no amount, so ${rule.amountField} (sats) is required`);
    }
    return { amountSat: positiveSats(given, rule.amountField), paymentHash: parsed.id };
  }
  const amountSat = Number((msat + 999n) / 1000n);
  if (given !== undefined && given !== null && given !== 0 && positiveSats(given, rule.amountField) !== amountSat) {
    throw new UnreadableSpend(rule.amountField, `${rule.amountField} (${String(given)}) differs from the invoice's amount (${amountSat} sats)`);
  }
  return { amountSat, paymentHash: parsed.id };
}

function positiveSats(raw: unknown, field: string): number {
  const n = typeof raw === 'string' && /^\d{1,16}$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) throw new UnreadableSpend(field, `${field} must be a positive whole number of sats`);
  return n;
}
