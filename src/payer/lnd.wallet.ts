/**
 * `Wallet` backed by the user's own LND through the `lightning` package: payments go through
 * `Router.SendPaymentV2` (`pay`) and are looked up through `Router.TrackPaymentV2` (`getPayment`).
 * Files are read and the gRPC connection opened on first use, so commands that end up not paying (a stored
 * token, a free resource) never need the node.
 */
import { readFile } from 'node:fs/promises';
import { authenticatedLndGrpc, getPayment, getWalletInfo, pay } from 'lightning';
import type { AuthenticatedLnd } from 'lightning';
import { chainNetworkOf } from '../lightning/chain.networks';
import { PaymentFailedError } from './client.errors';
import type { PayArgs, PaymentLookup, SettledPayment, Wallet } from './wallet.interface';

/** Where the node is and the credentials to use; paths are read lazily. */
export interface LndConnection {
  /** `host:port` of LND's gRPC listener (`localhost:10009` by default in LND). */
  socket: string;
  certPath: string;
  macaroonPath: string;
}

/** Failures after which LND has certainly given up on the payment (the `lightning` package's names). */
const DEFINITE_FAILURES = new Set([
  'PaymentExecutionCanceled',
  'InsufficientBalanceToAttemptPayment',
  'PaymentRejectedByDestination',
  'PaymentAttemptsTimedOut',
  'PaymentPathfindingFailedToFindPossibleRoute',
  'FailedToFindPayableRouteToDestination',
]);

/** LND as the user's wallet. */
export class LndWallet implements Wallet {
  private lnd?: Promise<AuthenticatedLnd>;
  private cachedNetwork?: Promise<string | undefined>;

  constructor(private readonly connection: LndConnection) {}

  /** Pay with the fee capped by LND's pathfinding (`max_fee`), so the cap holds even on retries. */
  async pay({ invoice, paymentHash, maxFeeSats }: PayArgs): Promise<SettledPayment> {
    const lnd = await this.connect();
    try {
      const res = await pay({ lnd, request: invoice, max_fee: maxFeeSats });
      return {
        preimage: res.secret,
        amountSats: res.tokens,
        feeSats: res.fee,
        feeMsat: Number(res.fee_mtokens),
      };
    } catch (err) {
      const [code, message] = lightningError(err);
      if (DEFINITE_FAILURES.has(message) || code === 400) throw new PaymentFailedError(paymentHash, message);
      throw new Error(message, { cause: err }); // outcome unknown: the caller looks the payment up
    }
  }

  /** Map TrackPaymentV2's answer onto the four states the pending-record resolver distinguishes. */
  async lookupPayment(paymentHash: string): Promise<PaymentLookup> {
    const lnd = await this.connect();
    try {
      const res = await getPayment({ lnd, id: paymentHash });
      if (res.is_confirmed && res.payment) {
        return {
          status: 'succeeded',
          preimage: res.payment.secret,
          amountSats: res.payment.tokens,
          feeSats: res.payment.fee,
          feeMsat: Number(res.payment.fee_mtokens),
        };
      }
      if (res.is_failed) return { status: 'failed', failure: failureName(res.failed) };
      return { status: 'in_flight' };
    } catch (err) {
      const [code, message] = lightningError(err);
      if (code === 404) return { status: 'not_found' };
      throw new Error(`cannot look the payment up on LND: ${message}`, { cause: err });
    }
  }

  /** The node's network, to refuse an invoice for another chain before trying to pay it. */
  network(): Promise<string | undefined> {
    this.cachedNetwork ??= this.connect().then(async (lnd) => {
      const info = await getWalletInfo({ lnd }).catch((err: unknown) => {
        throw new Error(`cannot reach LND at ${this.connection.socket}: ${lightningError(err)[1]}`);
      });
      const chain = (info.chains ?? [])[0];
      return chain ? chainNetworkOf(chain)?.bolt11 : undefined;
    });
    this.cachedNetwork.catch(() => (this.cachedNetwork = undefined)); // retry after a failure
    return this.cachedNetwork;
  }

  /** Close every gRPC client the `lightning` package opened, so the process can exit. */
  async close(): Promise<void> {
    const pending = this.lnd;
    this.lnd = undefined;
    this.cachedNetwork = undefined;
    const lnd = await pending?.catch(() => undefined);
    for (const client of Object.values((lnd ?? {}) as Record<string, { close?: () => void }>)) {
      client?.close?.();
    }
  }

  /** One connection per wallet, shared by concurrent callers. */
  private connect(): Promise<AuthenticatedLnd> {
    this.lnd ??= this.open();
    this.lnd.catch(() => (this.lnd = undefined));
    return this.lnd;
  }

  private async open(): Promise<AuthenticatedLnd> {
    const { certPath, macaroonPath, socket } = this.connection;
    const [cert, macaroon] = await Promise.all([
      readFile(certPath).catch(() => {
        throw new Error(`cannot read the LND TLS certificate ${certPath}`);
      }),
      readFile(macaroonPath).catch(() => {
        throw new Error(`cannot read the LND macaroon ${macaroonPath}`);
      }),
    ]);
    return authenticatedLndGrpc({
      cert: cert.toString('base64'),
      macaroon: macaroon.toString('hex'),
      socket,
    }).lnd;
  }
}

/** The `lightning` package rejects with `[code, message, details]`; normalise anything else. */
function lightningError(err: unknown): [number, string] {
  if (Array.isArray(err)) {
    const details = err[2] as { err?: { details?: string } } | undefined;
    const detail = details?.err?.details;
    return [Number(err[0]), detail ? `${String(err[1])} (${detail})` : String(err[1])];
  }
  return [0, err instanceof Error ? err.message : String(err)];
}

/** `{is_insufficient_balance: true, ...}` -> `insufficient_balance`. */
function failureName(failed: object | undefined): string {
  const flag = Object.entries(failed ?? {}).find(([k, v]) => k.startsWith('is_') && v === true)?.[0];
  return flag ? flag.replace(/^is_/, '') : 'failed';
}
