import 'reflect-metadata';
import { renderBanner } from './bootstrap/banner';
import { BannerService } from './common/banner.service';
import { startSatgate } from './bootstrap/satgate';
import { ConfigError, loadConfig } from './config/config.loader';
import { logger } from './common/logger';

/** `npm start`: validate config first (exit 1 naming every bad variable), then start and serve until a signal. */
async function main(): Promise<void> {
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
