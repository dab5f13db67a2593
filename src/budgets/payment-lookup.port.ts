/**
 * How the reconciler learns what happened to a payment whose outcome satgate did not see: the node that
 * paid it is asked by payment hash. Declared here, where it is used; budgets.module.ts provides it over the
 * LightningService of that node.
 */

/** Injection token of the PaymentLookup (null when no node can be asked). */
export const PAYMENT_LOOKUP = Symbol('PAYMENT_LOOKUP');

/** A payment as its node knows it. `unknown`: the node never started a payment to this hash. */
export type PaymentOutcome =
  | { status: 'succeeded'; amountSat?: number; feeSat?: number }
  | { status: 'failed' }
  | { status: 'in_flight' }
  | { status: 'unknown' };

export interface PaymentLookup {
  paymentOutcome(paymentHash: string): Promise<PaymentOutcome>;
}
