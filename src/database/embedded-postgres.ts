import { fork, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A running embedded Postgres: its connection URL and how to stop it. */
export interface EmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts PGlite under `<dataDir>/pgdata` in a child process and returns a `postgres://` URL the ordinary
 * `pg` driver connects to, so embedded mode runs exactly the production data layer. The ephemeral port is
 * recorded in `<dataDir>/postgres.port` for operators (psql) and so two instances never collide.
 */
export async function startEmbeddedPostgres(dataDir: string, timeoutMs = 60_000): Promise<EmbeddedPostgres> {
  fs.mkdirSync(dataDir, { recursive: true });
  const pgdata = path.join(dataDir, 'pgdata');
  const child = fork(path.join(__dirname, 'embedded-postgres.child.js'), [pgdata], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await waitForReady(child, timeoutMs);
  fs.writeFileSync(path.join(dataDir, 'postgres.port'), `${port}\n`);
  let stopped: Promise<void> | undefined;
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => (stopped ??= stopChild(child)),
  };
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('embedded Postgres did not start in time'));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`embedded Postgres exited during start (code ${code})`));
    });
    child.on('message', (msg: { ready?: number; error?: string }) => {
      if (msg.ready) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(msg.ready);
      } else if (msg.error) {
        clearTimeout(timer);
        reject(new Error(`embedded Postgres failed: ${msg.error}`));
      }
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    if (child.connected) child.send('stop');
    else child.kill('SIGTERM');
  });
}
