import * as fs from 'node:fs';
import { renderBanner } from './bootstrap/banner'; // plain text, no dependencies
import { ConfigError, loadConfig } from './config/config.loader';
import { logger } from './common/logger';

/**
 * `--env-file PATH` (or `--env-file=PATH`), else `./.env` when it exists: read into process.env before the
 * configuration is validated. Node's own parser (process.loadEnvFile, the format of `node --env-file`);
 * a variable already set in the environment wins over the file, so `PORT=9000 npm start` still overrides.
 */
function loadEnvFile(argv: string[]): void {
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--env-file') file = argv[++i] ?? '';
    else if (argv[i].startsWith('--env-file=')) file = argv[i].slice('--env-file='.length);
  }
  if (file === undefined) {
    if (!fs.existsSync('.env')) return;
    file = '.env';
  } else if (!file || !fs.existsSync(file)) {
    process.stderr.write(`satgate: --env-file ${file || '(missing path)'}: no such file\n`);
    process.exit(1);
  }
  process.loadEnvFile(file);
  process.stderr.write(`satgate: read configuration from ${file}\n`);
}

/** `npm start`: validate config first (exit 1 naming every bad variable), then start and serve until a signal. */
async function main(): Promise<void> {
  loadEnvFile(process.argv.slice(2));
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  // Nest, TypeORM and the app's modules load only once the configuration is valid: a bad variable is
  // reported in a fraction of a second instead of after loading the whole server.
  /* eslint-disable @typescript-eslint/no-require-imports -- deferred loading, see above */
  require('reflect-metadata');
  const startSatgate = (require('./bootstrap/satgate') as typeof import('./bootstrap/satgate')).startSatgate;
  const BannerService = (require('./common/banner.service') as typeof import('./common/banner.service')).BannerService;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const satgate = await startSatgate(config);
  logger.info({ url: satgate.url, demo: config.demo, embedded: satgate.runtime.embedded }, 'satgate listening');
  if (config.demo) {
    const sections = await satgate.app.get(BannerService).render();
    process.stdout.write(`${renderBanner(satgate.url, satgate.runtime, sections)}\n`);
  } else {
    process.stdout.write(`satgate listening on ${satgate.url}\n`);
  }

  let shuttingDown = false;
  const shutdown = (signal: string): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 25_000);
    force.unref();
    satgate.close().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err: (err as Error).message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => shutdown(signal));
}

main().catch((err) => {
  process.stderr.write(`satgate failed to start: ${(err as Error).message}\n`);
  logger.error({ err: (err as Error).message, stack: (err as Error).stack }, 'start failed');
  process.exit(1);
});
