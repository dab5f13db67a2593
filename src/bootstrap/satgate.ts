import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../config/config.types';
import { configureLogger } from '../common/logger';
import { createApp } from './app.factory';
import { SatgateRuntime, startRuntime } from './runtime';

/** A listening satgate: its URL, the Nest app and its runtime. `close` stops everything it started. */
export interface RunningSatgate {
  url: string;
  app: NestFastifyApplication;
  runtime: SatgateRuntime;
  close(): Promise<void>;
}

/** The one start path, shared by `npm start` and the test suites. */
export async function startSatgate(config: AppConfig): Promise<RunningSatgate> {
  configureLogger(config.logLevel, config.logFile);
  const runtime = await startRuntime(config);
  let app: NestFastifyApplication | undefined;
  try {
    app = await createApp(runtime);
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
        await started.close();
        await runtime.stop();
      })()),
  };
}
