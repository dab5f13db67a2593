import { fork, ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { logger } from '../common/logger';
import { makePrivateSubdirSync, writePrivateFileSync } from '../core/files/private-dir';

/** A running embedded Postgres: its connection URL and how to stop it. */
export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/** The port number in the socket file name (`.s.PGSQL.<port>`) that libpq and `pg` expect. */
const SOCKET_PORT = 5432;
/** Unix socket paths are limited to ~107 bytes; beyond that the server falls back to loopback TCP. */
const MAX_SOCKET_PATH = 100;

/**
 * Starts PGlite under `<dataDir>/pgdata` in a child process and returns a `postgres://` URL the ordinary
 * `pg` driver connects to, so embedded mode runs exactly the production data layer.
 *
 * It listens on a unix socket inside the data dir, not on a TCP port: PGlite has no authentication, and a
 * loopback port would let any local user read root keys and tokens, while the data dir is 0700. Operators
 * reach it with `psql -h <dataDir> -U postgres` (the URL is also in `<dataDir>/postgres.url`).
 */
export async function startEmbeddedPostgres(dataDir: string, timeoutMs = 60_000): Promise<EmbeddedPostgres> {
  makePrivateSubdirSync(dataDir);
  const dir = path.resolve(dataDir);
  const pgdata = path.join(dir, 'pgdata');
  const socketPath = path.join(dir, `.s.PGSQL.${SOCKET_PORT}`);
  const useSocket = socketPath.length <= MAX_SOCKET_PATH;
  if (!useSocket) logger.warn({ dataDir: dir }, 'data dir path too long for a unix socket; embedded Postgres listens on loopback TCP');
  const child = fork(path.join(__dirname, 'embedded-postgres.child.js'), [pgdata, useSocket ? socketPath : ''], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await waitForReady(child, timeoutMs);
  const url = useSocket
    ? `postgres://postgres@localhost:${SOCKET_PORT}/postgres?host=${encodeURIComponent(dir)}`
    : `postgres://postgres@127.0.0.1:${port}/postgres`;
  writePrivateFileSync(path.join(dir, 'postgres.url'), `${url}\n`);
  let stopped: Promise<void> | undefined;
  return { url, stop: () => (stopped ??= stopChild(child)) };
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
    child.on('message', (msg: { ready?: boolean; port?: number; error?: string }) => {
      if (msg.ready) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(msg.port ?? 0);
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
