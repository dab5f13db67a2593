import type { LndCredentials, RuntimeConfig } from './config.types';

/**
 * What satgate needs besides its own HTTP server, started before Nest: the database URL (embedded Postgres
 * when DATABASE_URL is unset), LND credentials (the regtest network when LND_* are unset in embedded mode),
 * and the demo origin in demo mode. Each auxiliary listener takes an ephemeral port.
 */
export interface SatgateRuntime {
  config: RuntimeConfig;
  databaseUrl: string;
  embedded: boolean;
  lnd?: LndCredentials;
  /** Where the regtest network keeps its nodes, when satgate started it (for the banner). */
  regtestDir?: string;
  demoOriginUrl?: string;
  /** Stops everything started here, in reverse order. */
  stop(): Promise<void>;
}

/**
 * Injection token of the SatgateRuntime (demo origin URL, LND credentials, embedded flags). Provided by the
 * ConfigModule, so features read what the start-up resolved without importing the start-up code.
 */
export const SATGATE_RUNTIME = Symbol('SATGATE_RUNTIME');
