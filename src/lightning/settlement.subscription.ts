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
  /** Called once per settlement, in settle-index order; a returned promise is awaited before the next. */
  onSettled(event: SettlementEvent): void | Promise<void>;
  /** Told about stream failures (the subscription reconnects by itself) and callback failures. */
  onError?(error: LightningError | Error): void;
  /** First reconnect delay; doubles up to 30 s while the node stays unreachable. Default 1000 ms. */
  reconnectDelayMs?: number;
}

/** Handle to stop a settlement subscription. */
export interface SettlementSubscriptionHandle {
  stop(): void;
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
 * settle_index = last one delivered, so after an outage LND replays exactly the settlements that were
 * missed, and nothing older. Reconnects back off from `reconnectDelayMs` to 30 s.
 */
export function subscribeSettlements(lnd: AuthenticatedLnd, opts: SettlementSubscriptionOptions): SettlementSubscriptionHandle {
  let last = Math.max(0, Math.floor(opts.fromSettleIndex));
  let stopped = false;
  let stream: InvoiceStream | undefined;
  let timer: NodeJS.Timeout | undefined;
  const baseDelay = opts.reconnectDelayMs ?? 1000;
  let delay = baseDelay;
  let queue: Promise<void> = Promise.resolve();

  const deliver = (m: InvoiceMessage) => {
    const index = Number(m.settle_index);
    if (m.state !== 'SETTLED' || !(index > last)) return;
    last = index;
    const event: SettlementEvent = {
      paymentHash: m.r_hash.toString('hex'),
      sats: Number(m.amt_paid_sat),
      settledAt: new Date(Number(m.settle_date) * 1000),
      settleIndex: index,
    };
    queue = queue
      .then(() => (stopped ? undefined : opts.onSettled(event)))
      .catch((err) => opts.onError?.(err instanceof Error ? err : new Error(String(err))));
  };

  const reconnectLater = (err?: unknown) => {
    if (stopped) return;
    quiet(stream);
    stream = undefined;
    opts.onError?.(toLightningError(err ?? new Error('invoice subscription ended'), 'subscribeInvoices'));
    timer = setTimeout(connect, delay);
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  };

  function connect(): void {
    timer = undefined;
    if (stopped) return;
    const s = lnd.default.subscribeInvoices({ settle_index: String(last) }) as InvoiceStream;
    stream = s;
    s.on('data', (m) => {
      delay = baseDelay;
      deliver(m);
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
      const s = stream;
      stream = undefined;
      if (s) {
        quiet(s);
        s.cancel();
      }
    },
  };
}
