import * as path from 'node:path';
import type { AppConfig } from '../config/config.types';
import type { SatgateRuntime } from '../config/runtime';
import { startEmbeddedPostgres } from '../database/embedded-postgres';
import { waitForDatabase } from '../database/database.wait';
import { startDemoOrigin } from '../demo/demo-origin';
import { writePrivateFileSync } from '../core/files/private-dir';
import { prepareDataDir, usesDataDir } from './data-dir';
import { lockDataDir } from './data-dir-lock';
import { resolveSecrets } from './secrets';
import { startEmbeddedLightning } from './embedded-lightning';

export async function startRuntime(appConfig: AppConfig): Promise<SatgateRuntime> {
  const stops: Array<() => Promise<void> | void> = [];
  const stop = async (): Promise<void> => {
    for (const s of stops.reverse()) await s();
    stops.length = 0;
  };
  try {
    const embedded = !appConfig.databaseUrl;
    if (usesDataDir(appConfig)) prepareDataDir(appConfig.dataDir);
    if (embedded) stops.push(lockDataDir(appConfig.dataDir));
    const config = resolveSecrets(appConfig);

    let databaseUrl = config.databaseUrl;
    if (databaseUrl) {
      await waitForDatabase({
        url: databaseUrl,
        timeoutSeconds: config.databaseConnectTimeoutSeconds,
        report: (line) => process.stderr.write(`satgate: ${line}\n`),
      });
    } else {
      const pg = await startEmbeddedPostgres(config.dataDir);
      stops.push(() => pg.stop());
      databaseUrl = pg.url;
    }

    let lnd = config.lnd;
    let regtestDir: string | undefined;
    if (!lnd && embedded) {
      const network = await startEmbeddedLightning(config.dataDir);
      stops.push(() => network.stop());
      lnd = network.merchant;
      regtestDir = network.dir;
    }

    let demoOriginUrl: string | undefined;
    if (config.demo) {
      const origin = await startDemoOrigin({ host: '127.0.0.1' });
      stops.push(() => origin.stop());
      demoOriginUrl = origin.url;
      // Recorded like the other auxiliary listeners' addresses, for operators and scripts.
      writePrivateFileSync(path.join(config.dataDir, 'demo-origin.url'), `${origin.url}\n`);
    }
    return { config, databaseUrl, embedded, lnd, regtestDir, demoOriginUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
