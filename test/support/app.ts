import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSatgate, RunningSatgate } from '../../src/bootstrap/satgate';
import { loadConfig } from '../../src/config/config.loader';
import { testDatabaseUrl } from './database';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';
export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdef';

/** A temp dir removed by the caller (or left for inspection when a test fails). */
export function tempDir(prefix = 'satgate-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Starts satgate through the production start path on the test database, on an ephemeral port, demo off
 * unless asked. Extra env entries override (e.g. LND_* of a regtest network).
 */
export async function startTestApp(env: Record<string, string | undefined> = {}): Promise<RunningSatgate> {
  const config = loadConfig({
    DATABASE_URL: testDatabaseUrl(),
    JWT_SECRET: TEST_JWT_SECRET,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: env.DATA_DIR ?? tempDir(),
    DEMO: 'false',
    LOG_LEVEL: 'silent',
    // The runner's embedded Postgres multiplexes connections message by message: one connection, as in embedded mode.
    DATABASE_POOL_SIZE: process.env.TEST_DATABASE_KIND === 'embedded' ? '1' : undefined,
    ...env,
  });
  return startSatgate(config);
}

export const adminHeaders = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
