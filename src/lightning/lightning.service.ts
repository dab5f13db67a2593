import { createHash } from 'node:crypto';
import {
  type AuthenticatedLnd,
  type DecodePaymentRequestResult,
  type GetInvoiceResult,
  type GetInvoicesResult,
  authenticatedLndGrpc,
  createInvoice,
  decodePaymentRequest,
  getInvoice,
  getInvoices,
  getPayment,
  getWalletInfo,
  pay,
} from 'lightning';
import {
  LightningError,
  LightningPaymentError,
  LightningUnavailableError,
  toLightningError,
  toPaymentError,
} from './lightning.errors';
import { chainNetworkOf, type ChainNetwork } from './chain.networks';
import { NodeCircuitBreaker } from './node.breaker';
import {
  subscribeSettlements,
  type SettlementSubscriptionHandle,
  type SettlementSubscriptionOptions,
} from './settlement.subscription';

/** How to reach LND (the values of LND_SOCKET / LND_CERT / LND_MACAROON after resolveCredential). */
export interface LightningServiceOptions {
  /** `host:port`; use `localhost:port` rather than `127.0.0.1:port` (TLS name check, no DEP0123). */
  socket: string;
  /** base64 or hex of tls.cert. */
  cert: string;
  /** base64 or hex of the macaroon (invoice macaroon suffices for invoices; admin to pay). */
  macaroon: string;
  /** Deadline of each non-payment call, so a hung node surfaces as unavailable. Default 15000 ms. */
  callTimeoutMs?: number;
  /** Deadline of createInvoice: a caller waits for its challenge, so this is short. Default 1500 ms. */
  issueTimeoutMs?: number;
}

/** Deadline of the breaker's probe and of nodeInfo for /health. */
const PROBE_TIMEOUT_MS = 1000;

/** An invoice issued by createInvoice. */
export interface CreatedInvoice {
  paymentHash: string;
  paymentRequest: string;
  expiresAt: Date;
  sats: number;
}

/** LND's invoice states, lower-cased. */
export type InvoiceState = 'open' | 'settled' | 'canceled' | 'accepted';

/** An invoice as getInvoice reports it. */
export interface InvoiceStatus {
  paymentHash: string;
  isConfirmed: boolean;
  state: InvoiceState;
  settledAt?: Date;
  /** The invoice's amount (sats). */
  sats: number;
  /** Present once settled: LND's settle_index, usable as a subscribeSettlements cursor. */
  settleIndex?: number;
  expiresAt: Date;
  paymentRequest?: string;
  createdAt: Date;
  /** The memo. */
  description?: string;
}

/** A completed payment. */
export interface PaymentResult {
  preimage: string;
  feeSats: number;
  /** Amount delivered to the destination (excluding fee). */
  sats: number;
  paymentHash: string;
}

/** The state of an outgoing payment. `unknown` = this node never initiated it. */
export interface PaymentStatus {
  status: 'succeeded' | 'failed' | 'in_flight' | 'unknown';
  preimage?: string;
  /** Once succeeded: what the destination got and the routing fee paid (sats). */
  sats?: number;
  feeSat?: number;
}

/** A decoded BOLT11 request (decoded by the node, which also checks it is for its network). */
export interface DecodedRequest {
  paymentHash: string;
  destination: string;
  sats: number;
  msats: string;
  description?: string;
  createdAt: Date;
  expiresAt: Date;
  isExpired: boolean;
}

/** Identity and sync state of the node. */
export interface NodeInfo {
  alias: string;
  pubkey: string;
  network: ChainNetwork | 'unknown';
  synced: boolean;
  blockHeight: number;
}

const HASH = /^[0-9a-f]{64}$/;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parsePaymentRequest } = require('invoices') as { parsePaymentRequest(a: { request: string }): unknown };

/**
 * satgate's only door to Lightning: LND through the `lightning` package (gRPC + TLS + macaroon).
 * Every failure comes out typed (see lightning.errors.ts): LightningUnavailableError when the node cannot
 * be reached or does not answer within `callTimeoutMs`, LightningPaymentError for payments, LightningError
 * for the rest. Call close() to release the gRPC channels (and stop settlement subscriptions).
 *
 * Outages: once a call finds the node unreachable, a circuit breaker answers every further call with
 * LightningUnavailableError at once, and probes the node on a fresh gRPC channel (an old channel may sit in
 * grpc-js's reconnect back-off long after the node is back). When the probe answers, that channel replaces
 * the old one and the settlement streams resubscribe immediately.
 */
export class LightningService {
  private lnd: AuthenticatedLnd;
  private readonly callTimeoutMs: number;
  private readonly issueTimeoutMs: number;
  private readonly subscriptions = new Set<SettlementSubscriptionHandle>();
  private readonly breaker: NodeCircuitBreaker;

  constructor(private readonly opts: LightningServiceOptions) {
    this.lnd = this.connect();
    this.callTimeoutMs = opts.callTimeoutMs ?? 15_000;
    this.issueTimeoutMs = opts.issueTimeoutMs ?? 1500;
    this.breaker = new NodeCircuitBreaker(
      () => this.probeFreshChannel(),
      () => {
        for (const s of this.subscriptions) s.retryNow();
      },
    );
  }

  /** True while the node is known to be down (calls fail at once). */
  get knownDown(): boolean {
    return this.breaker.isOpen;
  }

  /** Issues an invoice for `sats` that expires after `expirySeconds`. */
  async createInvoice(args: { sats: number; memo: string; expirySeconds: number }): Promise<CreatedInvoice> {
    if (!Number.isSafeInteger(args.sats) || args.sats < 0) throw new LightningError('sats must be a non-negative integer', 'InvalidAmount');
    if (!Number.isSafeInteger(args.expirySeconds) || args.expirySeconds <= 0) {
      throw new LightningError('expirySeconds must be a positive integer', 'InvalidExpiry');
    }
    const res = await this.call(
      'createInvoice',
      () =>
        createInvoice({
          lnd: this.lnd,
          tokens: args.sats,
          description: args.memo,
          expires_at: new Date(Date.now() + args.expirySeconds * 1000).toISOString(),
        }),
      this.issueTimeoutMs,
    );
    return {
      paymentHash: res.id,
      paymentRequest: res.request,
      // The BOLT11 timestamp plus the expiry the package sent (it rounds to the same whole seconds).
      expiresAt: new Date(Date.parse(res.created_at) + args.expirySeconds * 1000),
      sats: res.tokens ?? args.sats,
    };
  }

  /** The invoice with this payment hash, or null when the node has no such invoice. */
  async getInvoice(paymentHash: string): Promise<InvoiceStatus | null> {
    if (!HASH.test(paymentHash)) throw new LightningError('payment hash must be 64 lower-case hex chars', 'InvalidHash');
    try {
      // confirmed_index is returned at runtime but missing from the package's typings.
      const inv = (await this.call('getInvoice', () => getInvoice({ lnd: this.lnd, id: paymentHash }))) as GetInvoiceResult & {
        confirmed_index?: number;
      };
      return invoiceStatusOf(inv);
    } catch (err) {
      if (err instanceof LightningError && err.grpcCode === 5 /* NOT_FOUND */) return null;
      throw err;
    }
  }

  /**
   * Every invoice the node created in [createdAfter, createdBefore] (whole seconds, as LND filters them),
   * paged through ListInvoices; used to reconcile the node's invoices with satgate's table.
   */
  async listInvoices(args: { createdAfter: Date; createdBefore: Date; pageSize?: number }): Promise<InvoiceStatus[]> {
    const out: InvoiceStatus[] = [];
    const window = { created_after: args.createdAfter.toISOString(), created_before: args.createdBefore.toISOString() };
    let token: string | undefined;
    do {
      const page: GetInvoicesResult = await this.call('getInvoices', () =>
        getInvoices(token ? { lnd: this.lnd, token } : { lnd: this.lnd, limit: args.pageSize ?? 500, ...window }),
      );
      for (const inv of page.invoices) out.push(invoiceStatusOf(inv));
      token = page.invoices.length > 0 ? page.next : undefined;
    } while (token);
    return out;
  }

  /** Follows settlements from `fromSettleIndex` on (see settlement.subscription.ts); reconnects by itself. */
  subscribeSettlements(opts: SettlementSubscriptionOptions): SettlementSubscriptionHandle {
    const inner = subscribeSettlements(() => this.lnd, {
      ...opts,
      onError: (err) => {
        if (err instanceof LightningUnavailableError) this.breaker.trip();
        opts.onError?.(err);
      },
    });
    const handle: SettlementSubscriptionHandle = {
      stop: () => {
        inner.stop();
        this.subscriptions.delete(handle);
      },
      retryNow: () => inner.retryNow(),
    };
    this.subscriptions.add(handle);
    return handle;
  }

  /**
   * Pays a BOLT11 request, spending at most `maxFeeSats` in routing fees and giving up path finding after
   * `timeoutSeconds`. Throws LightningPaymentError (`failure` says why) when nothing was paid.
   */
  async pay(args: { request: string; maxFeeSats: number; timeoutSeconds: number }): Promise<PaymentResult> {
    try {
      parsePaymentRequest({ request: args.request });
    } catch (err) {
      throw new LightningPaymentError(`payment failed (invalid_request): ${(err as Error).message}`, 'invalid_request', 'InvalidPaymentRequest');
    }
    const limitMs = (args.timeoutSeconds + 10) * 1000;
    const res = await withDeadline(
      pay({ lnd: this.lnd, request: args.request, max_fee: args.maxFeeSats, pathfinding_timeout: args.timeoutSeconds * 1000 }),
      limitMs,
      () =>
        new LightningPaymentError(
          `payment has no final outcome after ${limitMs / 1000}s; look it up with getPayment before retrying`,
          'in_flight',
          'PaymentOutcomeTimeout',
        ),
    ).catch((err) => {
      throw toPaymentError(err);
    });
    const preimage = res.secret;
    if (createHash('sha256').update(Buffer.from(preimage, 'hex')).digest('hex') !== res.id) {
      throw new LightningError('node returned a preimage that does not match the payment hash', 'PreimageMismatch');
    }
    return {
      preimage,
      feeSats: res.fee,
      sats: Number((BigInt(res.mtokens) - BigInt(res.fee_mtokens)) / 1000n),
      paymentHash: res.id,
    };
  }

  /** The state of an outgoing payment (used to resume after a crash instead of paying twice). */
  async getPayment(paymentHash: string): Promise<PaymentStatus> {
    if (!HASH.test(paymentHash)) throw new LightningError('payment hash must be 64 lower-case hex chars', 'InvalidHash');
    try {
      const res = await this.call('getPayment', () => getPayment({ lnd: this.lnd, id: paymentHash }));
      if (res.is_confirmed) {
        const p = res.payment;
        return p ? { status: 'succeeded', preimage: p.secret, sats: p.tokens, feeSat: p.fee } : { status: 'succeeded' };
      }
      if (res.is_failed) return { status: 'failed' };
      return { status: 'in_flight' };
    } catch (err) {
      if (err instanceof LightningError && err.reason === 'SentPaymentNotFound') return { status: 'unknown' };
      throw err;
    }
  }

  /** Decodes a BOLT11 request through the node. */
  async decode(request: string): Promise<DecodedRequest> {
    // created_at / is_expired are returned at runtime but missing from the package's typings.
    const d = (await this.call('decodePaymentRequest', () => decodePaymentRequest({ lnd: this.lnd, request }))) as DecodePaymentRequestResult & {
      created_at: string;
      is_expired: boolean;
    };
    return {
      paymentHash: d.id,
      destination: d.destination,
      sats: d.tokens,
      msats: d.mtokens,
      description: d.description || undefined,
      createdAt: new Date(d.created_at),
      expiresAt: new Date(d.expires_at),
      isExpired: d.is_expired,
    };
  }

  /** Alias, identity key, network and sync state (needs the info:read permission: readonly or admin). */
  async nodeInfo(opts: { timeoutMs?: number } = {}): Promise<NodeInfo> {
    const info = await this.call('getWalletInfo', () => getWalletInfo({ lnd: this.lnd }), opts.timeoutMs ?? PROBE_TIMEOUT_MS);
    const chain = info.chains[0];
    return {
      alias: info.alias,
      pubkey: info.public_key,
      network: (chain && chainNetworkOf(chain)?.network) || 'unknown',
      synced: info.is_synced_to_chain,
      blockHeight: info.current_block_height,
    };
  }

  /** Stops subscriptions and closes the gRPC channels; the service is unusable afterwards. */
  close(): void {
    this.breaker.stop();
    for (const s of [...this.subscriptions]) s.stop();
    closeChannels(this.lnd);
  }

  private connect(): AuthenticatedLnd {
    return authenticatedLndGrpc({ socket: this.opts.socket, cert: this.opts.cert, macaroon: this.opts.macaroon }).lnd;
  }

  /** The breaker's probe: GetInfo on a new channel; on an answer that channel becomes the one in use. */
  private async probeFreshChannel(): Promise<void> {
    const fresh = this.connect();
    try {
      await withDeadline(getWalletInfo({ lnd: fresh }), PROBE_TIMEOUT_MS, () => new Error('probe timed out'));
    } catch (err) {
      closeChannels(fresh);
      throw err;
    }
    const old = this.lnd;
    this.lnd = fresh;
    closeChannels(old);
  }

  private call<T>(action: string, run: () => Promise<T>, timeoutMs = this.callTimeoutMs): Promise<T> {
    if (this.breaker.isOpen) {
      const since = this.breaker.openSince?.toISOString();
      return Promise.reject(
        new LightningUnavailableError(`lightning node unavailable (${action}): unreachable since ${since}, probing`, 'CircuitOpen'),
      );
    }
    return withDeadline(
      run(),
      timeoutMs,
      () => new LightningUnavailableError(`lightning node unavailable (${action}): no answer within ${timeoutMs} ms`, 'Timeout'),
    ).then(
      (result) => result,
      (err) => {
        const failure = toLightningError(err, action);
        if (failure instanceof LightningUnavailableError) this.breaker.trip();
        throw failure;
      },
    );
  }
}

/** getInvoice's and getInvoices' invoice (confirmed_index is returned at runtime but not typed). */
type NodeInvoice = Pick<GetInvoiceResult, 'id' | 'is_confirmed' | 'is_canceled' | 'is_held' | 'confirmed_at' | 'tokens' | 'expires_at' | 'request' | 'created_at' | 'description'> & {
  confirmed_index?: number;
};

function invoiceStatusOf(inv: NodeInvoice): InvoiceStatus {
  const state: InvoiceState = inv.is_confirmed ? 'settled' : inv.is_canceled ? 'canceled' : inv.is_held ? 'accepted' : 'open';
  return {
    paymentHash: inv.id,
    isConfirmed: inv.is_confirmed,
    state,
    settledAt: inv.confirmed_at ? new Date(inv.confirmed_at) : undefined,
    sats: inv.tokens,
    settleIndex: inv.confirmed_index || undefined,
    expiresAt: new Date(inv.expires_at),
    paymentRequest: inv.request,
    createdAt: new Date(inv.created_at),
    description: inv.description,
  };
}

function closeChannels(lnd: AuthenticatedLnd): void {
  for (const client of Object.values(lnd as Record<string, { close?: () => void }>)) client?.close?.();
}

function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

export { LightningError, LightningPaymentError, LightningUnavailableError };
