/**
 * `satgate fetch <url>`: curl-like L402 client. Body on stdout, one line per decision on stderr, and exit
 * codes scripts can branch on (see EXIT in cli.support.ts).
 */
import { parseArgs } from 'node:util';
import { EXIT, UsageError, defaultIo, storeDir, type CommandIo } from './cli.support';
import {
  HashMismatchError,
  InvoiceRefusedError,
  L402ClientError,
  MalformedChallengeError,
  OverLimitError,
  WalletNotConfiguredError,
} from './client.errors';
import { FileTokenStore } from './file-token.store';
import { DEFAULT_MAX_COST_SATS, DEFAULT_MAX_FEE_SATS, DEFAULT_PENDING_TIMEOUT_MS, l402Fetch } from './l402.fetch';
import type { L402Event } from './l402.events';
import { resolveLndConnection } from './lnd.options';
import { LndWallet } from './lnd.wallet';
import { UnsafeStoreDirError } from './store-dir.guard';

/** Printed on usage errors and `--help`. */
export const FETCH_USAGE = `usage: satgate fetch <url> [-X METHOD] [-H 'K: V']... [-d DATA] [--max-cost SATS] [--max-fee SATS]
                     [--lnd-dir DIR | --lnd-socket HOST:PORT --lnd-cert PATH --lnd-macaroon PATH]
                     [--store DIR] [--pending-timeout SECONDS] [--json]
Pays L402 challenges through your own LND (up to --max-cost, default ${DEFAULT_MAX_COST_SATS} sats; routing fee up to
--max-fee, default ${DEFAULT_MAX_FEE_SATS} sats) and keeps one token per origin in --store (env SATGATE_STORE,
default ~/.satgate/tokens). A payment left in flight by an earlier run is looked up first and waited for up
to --pending-timeout (default ${DEFAULT_PENDING_TIMEOUT_MS / 1000} s); it is never paid twice.
exit codes:
  0  the server answered below 400
  1  other errors: server unreachable, LND unreachable or refusing, an unreadable token file
  2  usage: bad arguments, no Lightning node configured when a payment is due, a --store directory others
     can access (refused, never chmodded)
  3  the price is over --max-cost; nothing was paid
  4  the payment failed, or is still in flight after --pending-timeout (run the same command again later)
  5  the server answered 400 or more (also its 402 when the challenge was refused before paying: unusable
     challenge, invoice/macaroon hash mismatch, expired or wrong-network invoice)
`;

const OPTIONS = {
  request: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
  data: { type: 'string', short: 'd' },
  'max-cost': { type: 'string' },
  'max-fee': { type: 'string' },
  'lnd-dir': { type: 'string' },
  'lnd-socket': { type: 'string' },
  'lnd-cert': { type: 'string' },
  'lnd-macaroon': { type: 'string' },
  store: { type: 'string' },
  'pending-timeout': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Entry point wired into `bin/satgate` as `satgate fetch ...`; resolves to the process exit code. */
export async function runFetch(argv: string[], io: CommandIo = defaultIo()): Promise<number> {
  let parsed;
  try {
    parsed = parseFetchArgs(argv);
  } catch (err) {
    io.stderr.write(`satgate fetch: ${(err as Error).message}\n${FETCH_USAGE}`);
    return EXIT.usage;
  }
  if (parsed === 'help') {
    io.stdout.write(FETCH_USAGE);
    return EXIT.ok;
  }

  const { url, init, maxCostSats, maxFeeSats, pendingTimeoutMs, lnd, store, json } = parsed;
  const wallet = lnd ? new LndWallet(lnd) : undefined;
  let paid: { sats: number; feeSats: number; ms: number } | undefined;
  const onEvent = (e: L402Event) => {
    const line = describe(e);
    if (line) io.stderr.write(line + '\n');
    if (e.type === 'paid') paid = { sats: e.sats, feeSats: e.feeSats, ms: e.ms };
  };
  try {
    const response = await l402Fetch(url, init, {
      store: new FileTokenStore(store),
      wallet,
      maxCostSats,
      maxFeeSats,
      pendingTimeoutMs,
      onEvent,
    });
    const body = Buffer.from(await response.arrayBuffer());
    if (json) {
      const out = {
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: body.toString('utf8'),
        ...(paid ? { paid } : {}),
      };
      io.stdout.write(JSON.stringify(out) + '\n');
    } else {
      io.stdout.write(body);
    }
    if (response.status >= 400) {
      io.stderr.write(`HTTP ${response.status} ${response.statusText}`.trimEnd() + ` from ${url.href}\n`);
      return EXIT.httpError;
    }
    return EXIT.ok;
  } catch (err) {
    const hint = err instanceof OverLimitError ? '; nothing was paid (raise --max-cost to allow it)' : '';
    io.stderr.write(`satgate fetch: ${describeFailure(err, url)}${hint}\n`);
    return exitCodeFor(err);
  } finally {
    await wallet?.close();
  }
}

/** Map a failure to the documented exit code. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof OverLimitError) return EXIT.overLimit;
  if (err instanceof WalletNotConfiguredError || err instanceof UnsafeStoreDirError) return EXIT.usage;
  // The server's challenge was refused before paying: the flow ends on its 402.
  if (err instanceof HashMismatchError || err instanceof MalformedChallengeError || err instanceof InvoiceRefusedError) {
    return EXIT.httpError;
  }
  if (err instanceof L402ClientError) return EXIT.paymentFailed; // failed, in flight, bad preimage
  return EXIT.error;
}

/**
 * The message of a failure. `fetch` reports every network problem as "fetch failed" and keeps the useful
 * part (ECONNREFUSED host:port, ENOTFOUND, a TLS complaint) in `cause`; print that.
 */
function describeFailure(err: unknown, url: URL): string {
  const e = err as Error & { cause?: unknown };
  if (e instanceof TypeError && e.message === 'fetch failed' && e.cause) {
    return `request to ${url.origin} failed: ${causeText(e.cause)}`;
  }
  return e instanceof Error ? e.message : String(err);
}

function causeText(cause: unknown): string {
  if (cause instanceof AggregateError && cause.errors.length > 0) {
    return [...new Set(cause.errors.map(causeText))].join('; ');
  }
  const { code, message } = (cause ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' && message ? message : typeof code === 'string' ? code : String(cause);
  return typeof code === 'string' && !text.includes(code) ? `${text} (${code})` : text;
}

/** One stderr line per decision; `paid ` and `using stored token` prefixes are part of the CLI contract. */
function describe(e: L402Event): string | undefined {
  switch (e.type) {
    case 'paid':
      return `paid ${e.sats} sats (fee ${e.feeSats} sats) in ${e.ms} ms to ${e.origin}`;
    case 'using-stored-token':
      return `using stored token for ${e.origin}`;
    case 'stored-token-refused':
      return `stored token for ${e.origin} was refused (${e.reason ?? 'no reason given'}); answering the new challenge`;
    case 'recovered-pending':
      return `found earlier payment ${e.paymentHash} settled (${e.sats} sats); stored its token without paying again`;
    case 'dropped-pending':
      return `dropped pending payment ${e.paymentHash}: ${e.reason}`;
    case 'waiting-for-pending':
      return `payment ${e.paymentHash} is still in flight; waiting up to ${Math.round(e.timeoutMs / 1000)} s`;
  }
}

interface FetchArgs {
  url: URL;
  init: RequestInit;
  maxCostSats: number;
  maxFeeSats: number;
  pendingTimeoutMs: number;
  lnd: ReturnType<typeof resolveLndConnection>;
  store: string;
  json: boolean;
}

/** Parse and validate the command line; throws UsageError (or parseArgs' own TypeError) on bad input. */
export function parseFetchArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): FetchArgs | 'help' {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new UsageError('expected exactly one URL');
  let url: URL;
  try {
    url = new URL(positionals[0]);
  } catch {
    throw new UsageError(`not a URL: ${positionals[0]}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError('only http and https URLs');

  const headers = new Headers();
  for (const h of values.header ?? []) {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new UsageError(`header must look like 'Name: value': ${h}`);
    headers.append(h.slice(0, colon).trim(), h.slice(colon + 1).trim());
  }
  const method = (values.request ?? (values.data !== undefined ? 'POST' : 'GET')).toUpperCase();
  if (!HTTP_TOKEN.test(method)) {
    throw new UsageError(`-X takes an HTTP method name (letters, digits, no spaces), got ${JSON.stringify(values.request)}`);
  }
  if (UNSUPPORTED_METHODS.has(method)) throw new UsageError(`-X ${method} is not supported`);
  if (values.data !== undefined && !headers.has('content-type')) {
    headers.set('content-type', 'application/x-www-form-urlencoded'); // what curl -d sends
  }
  return {
    url,
    init: { method, headers, ...(values.data !== undefined ? { body: values.data } : {}) },
    maxCostSats: sats(values['max-cost'], '--max-cost', DEFAULT_MAX_COST_SATS),
    maxFeeSats: sats(values['max-fee'], '--max-fee', DEFAULT_MAX_FEE_SATS),
    pendingTimeoutMs:
      values['pending-timeout'] === undefined
        ? DEFAULT_PENDING_TIMEOUT_MS
        : wholeNumber(values['pending-timeout'], '--pending-timeout', 'seconds') * 1000,
    lnd: resolveLndConnection({
      lndDir: values['lnd-dir'],
      lndSocket: values['lnd-socket'],
      lndCert: values['lnd-cert'],
      lndMacaroon: values['lnd-macaroon'],
    }),
    store: storeDir(values.store, env),
    json: values.json ?? false,
  };
}

/** RFC 9110 `token`: what a method name may contain. */
const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Methods the fetch standard forbids (fetch would throw on them). */
const UNSUPPORTED_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

function sats(text: string | undefined, flag: string, fallback: number): number {
  return text === undefined ? fallback : wholeNumber(text, flag, 'sats');
}

function wholeNumber(text: string, flag: string, unit: string): number {
  if (!/^\d{1,15}$/.test(text)) throw new UsageError(`${flag} takes a whole number of ${unit}, got ${JSON.stringify(text)}`);
  return Number(text);
}
