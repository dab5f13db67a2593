import * as path from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { CountingQueryLogger } from './query-counter';

/** Pool size per instance against a real Postgres. */
export const POOL_SIZE = 10;

/**
 * The embedded Postgres gets one connection. PGlite is a single session: pglite-socket multiplexes its
 * clients message by message (only an open transaction pins the session), so two pooled connections'
 * extended-protocol messages interleave (Parse of one between Parse and Bind of the other) and fail with
 * "unnamed prepared statement does not exist" under concurrent requests. One connection serializes them.
 */
export const EMBEDDED_POOL_SIZE = 1;

/**
 * The one description of the database used by the app, the migration CLI (ormconfig.ts) and the tests.
 * Entities and migrations are discovered from the compiled tree so a feature module only adds files.
 * `synchronize` is never on: the schema comes from migrations, run at boot.
 */
export function dataSourceOptions(url: string, opts: { embedded: boolean; poolSize?: number }): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [path.join(__dirname, '..', '**', '*.entity.js')],
    migrations: [path.join(__dirname, 'migrations', '*.js')],
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['query', 'error', 'warn', 'migration'],
    logger: new CountingQueryLogger(),
    maxQueryExecutionTime: 1000,
    // pglite has no uuid-ossp; pgcrypto's gen_random_uuid works on both.
    uuidExtension: 'pgcrypto',
    extra: { max: opts.poolSize ?? (opts.embedded ? EMBEDDED_POOL_SIZE : POOL_SIZE), connectionTimeoutMillis: 10_000 },
    applicationName: opts.embedded ? 'satgate-embedded' : 'satgate',
  } as DataSourceOptions;
}
