/**
 * `l402Fetch`: `fetch` that answers L402 challenges by paying through the user's own node, within the
 * user's limits, and remembers the token per origin. Works against satgate and any server following the
 * L402 spec (aperture's two-value challenge, LSAT-only servers, the `version="0", token=` form).
 */
import { chooseChallenge, formatL402Authorization, parseL402Challenges, type L402Challenge } from '../core/l402';
import { payChallenge, checkedChallenge } from './challenge.payer';
import { MalformedChallengeError } from './client.errors';
import { FileTokenStore, defaultStoreDir } from './file-token.store';
import type { L402EventListener } from './l402.events';
import { resolvePending, type FlowContext } from './pending.resolver';
import { originOf, type TokenRecord, type TokenStore } from './token.store';
import type { Wallet } from './wallet.interface';

/** Highest price paid without asking, from docs/protocol.md "Paying client behaviour". */
export const DEFAULT_MAX_COST_SATS = 1000;
/** Routing fee cap, from docs/protocol.md "Paying client behaviour". */
export const DEFAULT_MAX_FEE_SATS = 10;
/** How long a payment found in flight is waited for before telling the user what to do. */
export const DEFAULT_PENDING_TIMEOUT_MS = 60_000;

/** Options of `l402Fetch`. All optional; a wallet is needed only when something must be paid. */
export interface L402FetchOptions {
  /** Where tokens are kept (default: FileTokenStore in SATGATE_STORE or ~/.satgate/tokens). */
  store?: TokenStore;
  wallet?: Wallet;
  /** Highest invoice amount paid without asking (default 1000 sats). */
  maxCostSats?: number;
  /** Routing fee cap handed to the node (default 10 sats). */
  maxFeeSats?: number;
  /** How long to wait for a payment found in flight from an earlier run (default 60 s). */
  pendingTimeoutMs?: number;
  /** Poll interval while waiting for such a payment (default 500 ms). */
  pendingPollMs?: number;
  onEvent?: L402EventListener;
  /** The fetch implementation (default: global fetch). */
  fetch?: typeof fetch;
  /** Clock for invoice expiry checks and record timestamps. */
  now?: () => Date;
}

// Per-store, per-origin payment in progress in this process: concurrent calls share one payment.
const inProgress = new WeakMap<TokenStore, Map<string, Promise<TokenRecord>>>();
// One default store object per directory, so calls relying on the default share the lock above.
const defaultStores = new Map<string, FileTokenStore>();

function defaultStore(): FileTokenStore {
  const dir = defaultStoreDir();
  let store = defaultStores.get(dir);
  if (!store) defaultStores.set(dir, (store = new FileTokenStore(dir)));
  return store;
}

/**
 * Fetch `url`; on a 402 carrying an L402 challenge, pay it (if allowed) and retry once with
 * `Authorization: <scheme> <macaroon>:<preimage>`. Throws OverLimitError, PaymentFailedError, ... when
 * it refuses or fails; returns the server's response otherwise (a 402 without L402 challenge included).
 * `init.body` must be replayable (string, bytes, URLSearchParams, FormData): it may be sent twice.
 */
export async function l402Fetch(
  url: string | URL,
  init: RequestInit = {},
  options: L402FetchOptions = {},
): Promise<Response> {
  const target = new URL(String(url));
  const doFetch = options.fetch ?? fetch;
  const ctx: FlowContext = {
    origin: originOf(target),
    store: options.store ?? defaultStore(),
    wallet: options.wallet,
    maxCostSats: options.maxCostSats ?? DEFAULT_MAX_COST_SATS,
    maxFeeSats: options.maxFeeSats ?? DEFAULT_MAX_FEE_SATS,
    pendingTimeoutMs: options.pendingTimeoutMs ?? DEFAULT_PENDING_TIMEOUT_MS,
    pendingPollMs: options.pendingPollMs ?? 500,
    emit: options.onEvent ?? (() => undefined),
    now: options.now ?? (() => new Date()),
  };

  let token = await ctx.store.get(ctx.origin);
  if (token?.state === 'pending') token = await resolvePending(ctx, token);

  let response: Response;
  if (token?.state === 'paid') {
    ctx.emit({ type: 'using-stored-token', origin: ctx.origin });
    response = await doFetch(target, withToken(init, token));
    if (response.status !== 402) return response;
    ctx.emit({ type: 'stored-token-refused', origin: ctx.origin, reason: await refusalReason(response) });
  } else {
    response = await doFetch(target, init);
    if (response.status !== 402) return response;
  }

  const challenge = readChallenge(response);
  if (!challenge) return response; // a 402 of some other payment scheme: not ours to answer
  if (token && checkedChallenge(ctx, challenge).paymentHash === token.paymentHash) {
    return response; // the server refuses a token it already got paid for: paying again cannot help
  }
  const paid = await payOnce(ctx, challenge);
  await response.body?.cancel().catch(() => undefined);
  return doFetch(target, withToken(init, paid));
}

/** The usable challenge of a 402, `undefined` when it has none, MalformedChallengeError when all are broken. */
function readChallenge(response: Response): L402Challenge | undefined {
  const { challenges, problems } = parseL402Challenges(response.headers.get('www-authenticate'));
  const chosen = chooseChallenge(challenges);
  if (!chosen && problems.length > 0) throw new MalformedChallengeError(problems.join('; '));
  return chosen;
}

/** Largest 402 body read to find the refusal reason; satgate's is a few hundred bytes. */
const MAX_REASON_BODY = 64 * 1024;

/**
 * The `reason` field of a JSON 402 body (satgate's: `expired`, `revoked`, `wrong_service`, ...), read from a
 * clone so the caller still gets the whole body. Only a short identifier is accepted: the line goes to a
 * terminal, and a server must not be able to print arbitrary text (or escape sequences) there.
 */
async function refusalReason(response: Response): Promise<string | undefined> {
  if (!/\bjson\b/i.test(response.headers.get('content-type') ?? '') || !response.body) return undefined;
  if (Number(response.headers.get('content-length')) > MAX_REASON_BODY) return undefined;
  const reader = response.clone().body!.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_REASON_BODY) return undefined;
      chunks.push(value);
    }
    const reason = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { reason?: unknown } | null)?.reason;
    return typeof reason === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(reason) ? reason : undefined;
  } catch {
    return undefined;
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** Serialise payments per origin inside this process so parallel requests do not each pay. */
async function payOnce(ctx: FlowContext, challenge: L402Challenge): Promise<TokenRecord> {
  let perStore = inProgress.get(ctx.store);
  if (!perStore) inProgress.set(ctx.store, (perStore = new Map()));
  const running = perStore.get(ctx.origin);
  if (running) {
    const shared = await running.catch(() => undefined);
    if (shared) return shared;
  }
  const mine = payChallenge(ctx, challenge);
  perStore.set(ctx.origin, mine);
  try {
    return await mine;
  } finally {
    if (perStore.get(ctx.origin) === mine) perStore.delete(ctx.origin);
  }
}

/** `init` with the token as `Authorization`, in the scheme the server offered. */
function withToken(init: RequestInit, token: TokenRecord): RequestInit {
  const headers = new Headers(init.headers);
  headers.set('authorization', formatL402Authorization(token.macaroon, token.preimage ?? '', token.scheme));
  return { ...init, headers };
}
