/**
 * What the L402 client needs from "the user's own Lightning node". Declared here, where it is used, so a
 * library user can plug in any node or wallet; `LndWallet` is the implementation the CLI ships.
 */

/** A settled payment: the preimage is the proof of payment that makes the macaroon usable. */
export interface SettledPayment {
  preimage: string;
  amountSats: number;
  feeSats: number;
  feeMsat: number;
}

/** What the node knows about an earlier payment, used to resolve a pending record after a crash. */
export type PaymentLookup =
  | ({ status: 'succeeded' } & SettledPayment)
  | { status: 'failed'; failure: string }
  | { status: 'in_flight' }
  | { status: 'not_found' };

/** Arguments of one payment; the fee cap is enforced by the node's pathfinding, not after the fact. */
export interface PayArgs {
  invoice: string;
  paymentHash: string;
  maxFeeSats: number;
}

/** A Lightning wallet able to pay invoices and to answer "what happened to payment X?". */
export interface Wallet {
  /**
   * Pay the invoice. Resolves with the preimage once settled. Must throw `PaymentFailedError` when the
   * payment definitely failed; any other error means "outcome unknown" and the caller looks it up.
   */
  pay(args: PayArgs): Promise<SettledPayment>;
  /** Look a payment up by hash, so a crash between paying and storing never leads to paying twice. */
  lookupPayment(paymentHash: string): Promise<PaymentLookup>;
  /** The node's network in the `invoices` package's naming (`regtest`, `bitcoin`, ...), if known. */
  network?(): Promise<string | undefined>;
  /** Release connections so a CLI process can exit. */
  close?(): Promise<void> | void;
}
