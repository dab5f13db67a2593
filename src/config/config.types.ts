import type { BudgetLimit, FeeReservePolicy } from '../core/budget';
import type { LndCredentials } from '../lightning/lnd-credentials';

export type { LndCredentials };

/**
 * How satgate trusts `X-Forwarded-*` headers (Fastify's `trustProxy`): not at all, a hop count, a list of proxy
 * addresses/CIDRs, or `true` — every hop, only from the explicit `TRUST_PROXY=all`.
 */
export type TrustProxySetting = boolean | number | string[];



/** Spending budgets of `payments:send` grants (BUDGET_*). */
export interface BudgetConfig {
  /** IANA zone whose midnights, Mondays and month starts the periods follow. */
  timeZone: string;
  /** Given to a `payments:send` grant whose app asked for no budget. */
  defaultLimit: BudgetLimit;
  /** Whether a grant may have no limit at all (an app asking `max_amount=0`, an operator removing the budget). */
  allowUnlimited: boolean;
  /** Routing-fee reserve held while a payment is in flight. */
  feeReserve: FeeReservePolicy;
  /** Seconds a payment may stay without a known outcome before the reconciler asks the node. */
  reconcileAfterSeconds: number;
}

/** The validated configuration, built once at boot from the environment. */
export interface AppConfig {
  port: number;
  host: string;
  /** Base of every absolute link and the OAuth issuer; no trailing slash. */
  publicUrl: string;
  /** False when PUBLIC_URL was derived from HOST/PORT; with PORT=0 it is then fixed up after listening. */
  publicUrlExplicit: boolean;
  trustProxy: TrustProxySetting;
  dataDir: string;
  /** Unset means embedded mode: satgate serves its own Postgres from `dataDir`. */
  databaseUrl?: string;
  /** Connections per instance; unset: 10 on a real Postgres, 1 on the embedded one (see data-source.options). */
  databasePoolSize?: number;
  /** Seconds to keep retrying an unreachable DATABASE_URL at start before exiting non-zero. */
  databaseConnectTimeoutSeconds: number;
  /** Raw-string HS256 secret for user JWTs (Alby compatible). Generated in embedded mode when unset. */
  jwtSecret?: string;
  /** Bearer token of the admin API. Generated in embedded mode when unset. */
  adminToken?: string;
  /** Secret signing the identity JWT forwarded to origins; defaults to `jwtSecret` as Alby does. */
  originJwtSecret?: string;
  /** Set when LND_SOCKET/LND_CERT/LND_MACAROON are given; unset in embedded mode starts the regtest network. */
  lnd?: LndCredentials;
  accessExpirySeconds: number;
  refreshExpirySeconds: number;
  /** Upper bound on the `expires_in` a client may ask for at /oauth/authorize. */
  maxAuthorizeExpirySeconds: number;
  /** L402 strict mode: a token is only accepted once its invoice is known to be settled. */
  l402Strict: boolean;
  demo: boolean;
  /** When set, /metrics answers only `Authorization: Bearer <metricsToken>` (Prometheus' `authorization`). */
  metricsToken?: string;
  /** Write the structured log to this file instead of stdout. */
  logFile?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Extra OAuth scopes offered besides Alby's table, `name=description` pairs. */
  extraScopes: Record<string, string>;
  budget: BudgetConfig;
}

/** The configuration after secrets were resolved (from env, or generated and kept in the data dir). */
export interface RuntimeConfig extends AppConfig {
  jwtSecret: string;
  adminToken: string;
  originJwtSecret: string;
}
