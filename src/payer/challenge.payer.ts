/**
 * Pays one L402 challenge, in the order that keeps the user's money safe: decode and check everything
 * locally (invoice signature, expiry, price vs limit, invoice hash vs macaroon identifier, network), write
 * the pending record, pay, verify the preimage, store the token.
 */
import type { L402Challenge } from '../core/l402';
import {
  HashMismatchError,
  InvoiceRefusedError,
  L402ClientError,
  OverLimitError,
  PaymentFailedError,
} from './client.errors';
import { decodeInvoice } from './invoice.decoder';
import { identifierOfMacaroon } from './macaroon.identifier';
import { resolvePending, requireWallet, storePaid, type FlowContext } from './pending.resolver';
import type { TokenRecord } from './token.store';
import type { SettledPayment } from './wallet.interface';

/** The payment hash a challenge asks for, after checking the invoice and macaroon agree on it. */
export function checkedChallenge(ctx: FlowContext, challenge: L402Challenge) {
  const invoice = decodeInvoice(challenge.invoice, ctx.now());
  const committed = identifierOfMacaroon(challenge.macaroon).paymentHash.toString('hex');
  if (committed !== invoice.paymentHash) {
    throw new HashMismatchError(invoice.paymentHash, committed);
  }
  return invoice;
}

/** Pay `challenge` within the limits and return the stored, paid token. Never pays twice for one record. */
export async function payChallenge(ctx: FlowContext, challenge: L402Challenge): Promise<TokenRecord> {
  const invoice = checkedChallenge(ctx, challenge);
  const limitMsat = BigInt(Math.round(ctx.maxCostSats * 1000));
  if (invoice.amountMsat > limitMsat) throw new OverLimitError(invoice.amountSats, ctx.maxCostSats, ctx.origin);

  const wallet = requireWallet(ctx, `the server asks ${invoice.amountSats} sats`);
  const nodeNetwork = wallet.network ? await wallet.network() : undefined;
  if (nodeNetwork && nodeNetwork !== invoice.network) {
    throw new InvoiceRefusedError(
      'wrong_network',
      `the invoice is for ${invoice.network} but your node runs on ${nodeNetwork}`,
    );
  }

  const pending: TokenRecord = {
    origin: ctx.origin,
    state: 'pending',
    scheme: challenge.scheme,
    macaroon: challenge.macaroon,
    invoice: challenge.invoice,
    paymentHash: invoice.paymentHash,
    amountSats: invoice.amountSats,
    createdAt: ctx.now().toISOString(),
  };
  await ctx.store.put(pending);

  const started = Date.now();
  let settled: SettledPayment;
  try {
    settled = await wallet.pay({ invoice: challenge.invoice, paymentHash: invoice.paymentHash, maxFeeSats: ctx.maxFeeSats });
  } catch (err) {
    if (err instanceof PaymentFailedError) {
      await ctx.store.delete(ctx.origin);
      throw err;
    }
    // Outcome unknown (connection dropped mid-payment...): the node knows; ask it rather than guess. A
    // settlement found now is this run's payment, so it is reported as `paid`, not as a recovery.
    const relabelled: FlowContext = {
      ...ctx,
      emit: (e) => {
        if (e.type === 'recovered-pending') {
          ctx.emit({ ...e, type: 'paid', ms: Date.now() - started });
        } else if (e.type !== 'dropped-pending') {
          ctx.emit(e);
        }
      },
    };
    let resolved: TokenRecord | undefined;
    try {
      resolved = await resolvePending(relabelled, pending);
    } catch (lookupErr) {
      if (lookupErr instanceof L402ClientError) throw lookupErr; // e.g. still in flight after the timeout
      throw err; // node unreachable: the pending record stays and the next run resolves it
    }
    if (!resolved) throw new PaymentFailedError(invoice.paymentHash, (err as Error).message);
    return resolved;
  }
  const record = await storePaid(ctx, pending, settled);
  ctx.emit({
    type: 'paid',
    origin: ctx.origin,
    paymentHash: invoice.paymentHash,
    sats: invoice.amountSats,
    feeSats: settled.feeSats,
    ms: Date.now() - started,
  });
  return record;
}
