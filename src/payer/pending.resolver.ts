/**
 * Settles the fate of a *pending* record — written before paying — by asking the node, never by paying
 * again: succeeded -> store the token; failed or unknown to the node -> drop it so a fresh challenge can be
 * paid; still in flight -> wait up to a timeout, then stop with instructions (PaymentPendingError).
 */
import { createHash } from 'node:crypto';
import { PaymentPendingError, PreimageMismatchError, WalletNotConfiguredError } from './client.errors';
import type { L402EventListener } from './l402.events';
import type { TokenRecord, TokenStore } from './token.store';
import type { SettledPayment, Wallet } from './wallet.interface';

/** What the flow pieces share for one `l402Fetch` call. */
export interface FlowContext {
  origin: string;
  store: TokenStore;
  wallet?: Wallet;
  maxCostSats: number;
  maxFeeSats: number;
  pendingTimeoutMs: number;
  pendingPollMs: number;
  emit: L402EventListener;
  now(): Date;
}

/** The wallet, or a clear usage error when a payment (or a payment lookup) needs one. */
export function requireWallet(ctx: FlowContext, why: string): Wallet {
  if (!ctx.wallet) {
    throw new WalletNotConfiguredError(`${why} for ${ctx.origin}, but no Lightning node is configured`);
  }
  return ctx.wallet;
}

/** Proof of payment check: a node returning a preimage that does not hash to the invoice is not trusted. */
export function preimageMatches(preimage: string, paymentHash: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(preimage)) return false;
  return createHash('sha256').update(Buffer.from(preimage, 'hex')).digest('hex') === paymentHash.toLowerCase();
}

/** Turn a pending record plus its settled payment into the stored, usable token. */
export async function storePaid(ctx: FlowContext, pending: TokenRecord, paid: SettledPayment): Promise<TokenRecord> {
  if (!preimageMatches(paid.preimage, pending.paymentHash)) {
    await ctx.store.delete(pending.origin);
    throw new PreimageMismatchError(pending.paymentHash);
  }
  const record: TokenRecord = {
    ...pending,
    state: 'paid',
    preimage: paid.preimage.toLowerCase(),
    feeSats: paid.feeSats,
    paidAt: ctx.now().toISOString(),
  };
  await ctx.store.put(record);
  return record;
}

/**
 * Resolve a pending record. Returns the now-paid record, or `undefined` when it was dropped (the caller
 * then pays whatever challenge the server sends next). Throws PaymentPendingError after the timeout.
 */
export async function resolvePending(ctx: FlowContext, pending: TokenRecord): Promise<TokenRecord | undefined> {
  const wallet = requireWallet(ctx, `payment ${pending.paymentHash} is pending and must be looked up`);
  // The wait is counted from the first in-flight answer and announced before the deadline is checked, so a
  // slow lookup (a busy node) still yields exactly: the announcement, at least one re-check, then the verdict.
  let started: number | undefined;
  for (;;) {
    const found = await wallet.lookupPayment(pending.paymentHash);
    switch (found.status) {
      case 'succeeded': {
        const record = await storePaid(ctx, pending, found);
        ctx.emit({
          type: 'recovered-pending',
          origin: ctx.origin,
          paymentHash: pending.paymentHash,
          sats: found.amountSats,
          feeSats: found.feeSats,
        });
        return record;
      }
      case 'failed':
      case 'not_found': {
        await ctx.store.delete(pending.origin);
        const reason = found.status === 'failed' ? `payment failed (${found.failure})` : 'payment never reached the node';
        ctx.emit({ type: 'dropped-pending', origin: ctx.origin, paymentHash: pending.paymentHash, reason });
        return undefined;
      }
      case 'in_flight': {
        if (started === undefined) {
          started = Date.now();
          ctx.emit({
            type: 'waiting-for-pending',
            origin: ctx.origin,
            paymentHash: pending.paymentHash,
            timeoutMs: ctx.pendingTimeoutMs,
          });
        } else if (Date.now() - started >= ctx.pendingTimeoutMs) {
          throw new PaymentPendingError(pending.paymentHash, ctx.origin, Date.now() - started);
        }
        const waited = Date.now() - started;
        await new Promise((r) => setTimeout(r, Math.max(0, Math.min(ctx.pendingPollMs, ctx.pendingTimeoutMs - waited))));
      }
    }
  }
}
