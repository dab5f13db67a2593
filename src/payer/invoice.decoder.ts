/**
 * Decodes the BOLT 11 invoice of a challenge locally (the `invoices` package, which also checks the
 * signature) so the price, hash and expiry are known BEFORE anything touches the user's node.
 */
import { InvoiceRefusedError } from './client.errors';

interface ParsedPaymentRequest {
  id: string;
  mtokens?: string;
  tokens?: number;
  network: string;
  expires_at: string;
  is_expired: boolean;
  destination: string;
}

// `invoices` ships no type declarations; this is the one function we use, typed locally.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parsePaymentRequest } = require('invoices') as {
  parsePaymentRequest(args: { request: string }): ParsedPaymentRequest;
};

/** What the client needs to know about an invoice to decide whether to pay it. */
export interface DecodedInvoice {
  /** Price in millisatoshis (exact; invoices may ask for sub-sat amounts). */
  amountMsat: bigint;
  /** Price in sats, as a number for messages and limits (msat / 1000, not rounded). */
  amountSats: number;
  paymentHash: string;
  expiresAt: Date;
  /** `bitcoin`, `testnet`, `regtest`, `signet`, ... as the `invoices` package names networks. */
  network: string;
  destination: string;
}

/**
 * Decode and sanity-check an invoice: refuses amount-less invoices (we cannot price them against the
 * limit) and expired ones (paying would fail at the node anyway). `now` is injectable for tests.
 */
export function decodeInvoice(request: string, now: Date = new Date()): DecodedInvoice {
  let parsed: ParsedPaymentRequest;
  try {
    parsed = parsePaymentRequest({ request });
  } catch (err) {
    throw new InvoiceRefusedError('undecodable', `the invoice cannot be decoded (${(err as Error).message})`);
  }
  if (!parsed.mtokens || parsed.mtokens === '0') {
    throw new InvoiceRefusedError('no_amount', 'the invoice has no amount, so it cannot be checked against the limit');
  }
  const expiresAt = new Date(parsed.expires_at);
  if (expiresAt.getTime() <= now.getTime()) {
    throw new InvoiceRefusedError('expired', `the invoice expired at ${expiresAt.toISOString()}`);
  }
  const amountMsat = BigInt(parsed.mtokens);
  return {
    amountMsat,
    amountSats: Number(amountMsat) / 1000,
    paymentHash: parsed.id,
    expiresAt,
    network: parsed.network,
    destination: parsed.destination,
  };
}
