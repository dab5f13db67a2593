/**
 * satgate's L402 client library: `l402Fetch` plus the pieces a caller plugs in (a `Wallet`, a
 * `TokenStore`) and the errors it raises. The CLI commands in this directory are thin users of it.
 */
export {
  l402Fetch,
  DEFAULT_MAX_COST_SATS,
  DEFAULT_MAX_FEE_SATS,
  DEFAULT_PENDING_TIMEOUT_MS,
  type L402FetchOptions,
} from './l402.fetch';
export type { L402Event, L402EventListener } from './l402.events';
export type { Wallet, PayArgs, PaymentLookup, SettledPayment } from './wallet.interface';
export { LndWallet, type LndConnection } from './lnd.wallet';
export { resolveLndConnection, DEFAULT_LND_SOCKET, type LndFlags } from './lnd.options';
export { FileTokenStore, defaultStoreDir, type UnreadableTokenFile } from './file-token.store';
export { UnsafeStoreDirError } from './store-dir.guard';
export { originOf, normaliseOriginArg, type TokenRecord, type TokenStore } from './token.store';
export {
  parseAuthChallenges,
  parseL402Challenges,
  chooseChallenge,
  type AuthChallenge,
  type L402Challenge,
  type L402ChallengeSet,
  type L402Scheme,
} from '../core/l402';
export { decodeInvoice, type DecodedInvoice } from './invoice.decoder';
export { identifierOfMacaroon } from './macaroon.identifier';
export { decodeIdentifier, type L402Identifier } from '../core/l402';
export {
  L402ClientError,
  OverLimitError,
  PaymentFailedError,
  PaymentPendingError,
  HashMismatchError,
  PreimageMismatchError,
  MalformedChallengeError,
  InvoiceRefusedError,
  WalletNotConfiguredError,
} from './client.errors';
export { runFetch } from './fetch.command';
export { runTokens } from './tokens.command';
