/**
 * Child process serving the embedded Postgres (PGlite) over the Postgres wire protocol.
 *
 * Why a child process: pglite-socket runs every connection's queries through one queue in the process that
 * hosts it; hosting it inside satgate's own process halves HTTP throughput (measured), so it lives here.
 * The parent passes the data directory as argv[2] and receives `{ ready: port }` over IPC.
 */
import * as fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** pglite-socket needs at least as many slots as the pool opens; kept above the app's pool size. */
const MAX_CONNECTIONS = 32;

async function main(): Promise<void> {
  const dir = process.argv[2];
  const socketPath = process.argv[3]; // a unix socket inside the 0700 data dir; empty: loopback TCP
  if (!dir) throw new Error('usage: embedded-postgres.child <pgdata dir> [socket path]');
  fs.mkdirSync(dir, { recursive: true });
  const db = await PGlite.create({ dataDir: dir });
  if (socketPath && fs.existsSync(socketPath)) fs.unlinkSync(socketPath); // left by a killed run
  const server = socketPath
    ? new PGLiteSocketServer({ db, path: socketPath, maxConnections: MAX_CONNECTIONS })
    : new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: MAX_CONNECTIONS });
  await server.start();
  const port = socketPath ? 0 : Number(server.getServerConn().split(':').pop());

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await server.stop().catch(() => undefined);
    await db.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => undefined); // the parent decides when we stop (Ctrl-C reaches the whole group)
  process.on('disconnect', () => void stop()); // parent gone: never outlive it
  process.on('message', (msg) => {
    if (msg === 'stop') void stop();
  });
  process.send?.({ ready: true, port });
}

main().catch((err) => {
  process.send?.({ error: String((err as Error)?.message ?? err) });
  process.exit(1);
});
