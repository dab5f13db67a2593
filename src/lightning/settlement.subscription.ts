import type { AuthenticatedLnd } from 'lightning';
import { toLightningError, type LightningError } from './lightning.errors';

/** One settled invoice, as delivered to subscribeSettlements' callback. */
export interface SettlementEvent {
  paymentHash: string;
  /** Amount received (sats). */
  sats: number;
  settledAt: Date;
  /** LND's settle_index of this invoice: persist it and pass it back as `fromSettleIndex` to resume. */
  settleIndex: number;
}

/** Options of LightningService.subscribeSettlements. */
export interface SettlementSubscriptionOptions {
  /** Last settle index already handled; 0 = only settlements from now on (LND sends no backlog for 0). */
  fromSettleIndex: number;
  /**
   * Called once per settlement, in settle-index order; a returned promise is awaited before the next. A
   * settlement whose callback throws (or rejects) is delivered again, after a backoff, until it succeeds.
   */
  onSettled(event: SettlementEvent): void | Promise<void>;
  /** Told about stream failures and callback failures (the subscription retries both by itself). */
  onError?(error: LightningError | Error): void;
  /** First reconnect / retry delay; doubles up to 30 s while the node or the callback keeps failing. Default 1000 ms. */
  reconnectDelayMs?: number;
}

/** Handle to stop a settlement subscription, or to resubscribe at once (the node is known to be back). */
export interface SettlementSubscriptionHandle {
  stop(): void;
  /** Reopens the stream now, skipping the back-off (no-op while settlements are being handed over). */
  retryNow(): void;
}

interface InvoiceMessage {
  r_hash: Buffer;
  state: string;
  settle_index: string;
  settle_date: string;
  amt_paid_sat: string;
}

interface InvoiceStream {
  on(event: 'data', f: (m: InvoiceMessage) => void): void;
  on(event: 'error', f: (e: unknown) => void): void;
  on(event: 'end', f: () => void): void;
  removeAllListeners(): void;
  cancel(): void;
}

const MAX_DELAY_MS = 30_000;

/** Detaches our listeners but keeps one for 'error' (e.g. the CANCELLED that cancel() causes), which
 * would otherwise be thrown by the EventEmitter. */
function quiet(s: InvoiceStream | undefined): void {
  if (!s) return;
  s.removeAllListeners();
  s.on('error', () => undefined);
}

/**
 * Follows invoice settlements through LND's SubscribeInvoices stream, on the `lightning` client's own gRPC
 * channel. Unlike the package's subscribeToInvoices helper (whose restart forgets the settle cursor when an
 * OPEN invoice event arrives, and waits 30 s), this owns the cursor: every (re)connect asks for
 * settle_index = last one handled, so after an outage LND replays exactly the settlements that were
 * missed, and nothing older. Reconnects back off from `reconnectDelayMs` to 30 s.
 *
 * A settlement counts as handled only once `onSettled` resolved. When it throws, the stream is closed (so
 * nothing piles up in memory), the settlements already received are retried in order with the same backoff,
 * and once they are through the stream is reopened from the last handled index — LND replays whatever
 * settled meanwhile. A failing callback therefore delays delivery; it never loses a settlement.
 *
 * `lnd` is a getter: the owner may replace the gRPC channel after an outage (lightning.service.ts) and call
 * `retryNow()`, so the stream comes back as soon as the node does.
 */
export function subscribeSettlements(lnd: () => AuthenticatedLnd, opts: SettlementSubscriptionOptions): SettlementSubscriptionHandle {
  const baseDelay = opts.reconnectDelayMs ?? 1000;
  /** Highest settle index whose callback resolved: the cursor every reconnect resumes from. */
  let handled = Math.max(0, Math.floor(opts.fromSettleIndex));
  /** Highest settle index received (queued or handled); later duplicates from a replay are ignored. */
  let received = handled;
  /** Received, not yet handled, in settle-index order. */
  const queue: SettlementEvent[] = [];
  let draining = false;
  let stopped = false;
  let stream: InvoiceStream | undefined;
  let timer: NodeJS.Timeout | undefined;
  let wakeRetry: (() => void) | undefined;
  let streamDelay = baseDelay;
  let callbackDelay = baseDelay;

  const closeStream = () => {
    const s = stream;
    stream = undefined;
    if (s) {
      quiet(s);
      s.cancel();
    }
  };

  const receive = (m: InvoiceMessage) => {
    const index = Number(m.settle_index);
    if (m.state !== 'SETTLED' || !(index > received)) return;
    received = index;
    queue.push({
      paymentHash: m.r_hash.toString('hex'),
      sats: Number(m.amt_paid_sat),
      settledAt: new Date(Number(m.settle_date) * 1000),
      settleIndex: index,
    });
    void drain();
  };

  /** Hands queued settlements to the callback one at a time; on failure holds the stream closed and retries. */
  async function drain(): Promise<void> {
    if (draining) return;
    draining = true;
    while (queue.length > 0 && !stopped) {
      const event = queue[0];
      try {
        await opts.onSettled(event);
      } catch (err) {
        if (stopped) break;
        opts.onError?.(err instanceof Error ? err : new Error(String(err)));
        // Stop receiving while the callback fails; what is queued is retried, the rest LND replays later.
        closeStream();
        clearTimeout(timer);
        timer = undefined;
        await new Promise<void>((resolve) => {
          wakeRetry = resolve;
          timer = setTimeout(resolve, callbackDelay);
        });
        wakeRetry = timer = undefined;
        callbackDelay = Math.min(callbackDelay * 2, MAX_DELAY_MS);
        continue;
      }
      queue.shift();
      handled = Math.max(handled, event.settleIndex);
      callbackDelay = baseDelay;
    }
    draining = false;
    // Reopen a stream the failure path closed, from the last handled index.
    if (!stopped && !stream && !timer) connect();
  }

  const reconnectLater = (err?: unknown) => {
    if (stopped) return;
    quiet(stream);
    stream = undefined;
    opts.onError?.(toLightningError(err ?? new Error('invoice subscription ended'), 'subscribeInvoices'));
    if (draining) return; // the drain loop reconnects when it is done
    timer = setTimeout(connect, streamDelay);
    streamDelay = Math.min(streamDelay * 2, MAX_DELAY_MS);
  };

  function connect(): void {
    timer = undefined;
    if (stopped) return;
    // Only called with an empty queue (at start, after a drain, or on a stream retry while nothing is being
    // handed over), so everything received is handled and LND replays from exactly there.
    received = handled;
    const s = lnd().default.subscribeInvoices({ settle_index: String(handled) }) as InvoiceStream;
    stream = s;
    s.on('data', (m) => {
      streamDelay = baseDelay;
      receive(m);
    });
    s.on('error', (e) => {
      if (stream === s) reconnectLater(e);
    });
    s.on('end', () => {
      if (stream === s) reconnectLater();
    });
  }

  connect();
  return {
    stop: () => {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      wakeRetry?.();
      closeStream();
    },
    retryNow: () => {
      if (stopped || draining) return;
      clearTimeout(timer);
      closeStream();
      streamDelay = baseDelay;
      connect();
    },
  };
}
