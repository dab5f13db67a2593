import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../config/config.types';
import { configureLogger } from '../common/logger';
import { createApp } from './app.factory';
import { prepareDataDir, usesDataDir } from './data-dir';
import { HttpDrain } from './http.drain';
import type { SatgateRuntime } from '../config/runtime';
import { startRuntime } from './runtime';

/** A listening satgate: its URL, the Nest app and its runtime. `close` stops everything it started. */
export interface RunningSatgate {
  url: string;
  app: NestFastifyApplication;
  runtime: SatgateRuntime;
  close(): Promise<void>;
}

/**
 * How long shutdown waits for requests in flight and kept-alive connections before cutting what is left
 * (long-lived streams); main.ts's forced exit comes later.
 */
export const DRAIN_GRACE_MS = 10_000;

/** The one start path, shared by `npm start` and the test suites. */
export async function startSatgate(config: AppConfig): Promise<RunningSatgate> {
  // Before LOG_FILE is opened: it may lie in DATA_DIR, which must be checked (or created 0700) first.
  if (usesDataDir(config)) prepareDataDir(config.dataDir);
  configureLogger(config.logLevel, config.logFile);
  const runtime = await startRuntime(config);
  let app: NestFastifyApplication | undefined;
  let drain: HttpDrain;
  try {
    app = await createApp(runtime);
    drain = new HttpDrain(app.getHttpServer(), app.getHttpAdapter().getInstance());
    await app.listen(config.port, config.host);
  } catch (err) {
    await app?.close().catch(() => undefined);
    await runtime.stop();
    throw err;
  }
  const addr = app.getHttpServer().address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (!runtime.config.publicUrlExplicit) runtime.config.publicUrl = url;
  let closing: Promise<void> | undefined;
  const started = app;
  return {
    url,
    app,
    runtime,
    close: () =>
      (closing ??= (async () => {
        // Order matters: no new requests, in-flight ones answered, then the origin pool and the database.
        await drain.drain(DRAIN_GRACE_MS);
        await started.close();
        await runtime.stop();
      })()),
  };
}
