import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { MAIN_JS, spawnNode } from './support/process';
import { TEST_ADMIN_TOKEN, TEST_JWT_SECRET, tempDir } from './support/app';
import { testDatabaseUrl } from './support/database';

const embedded = process.env.TEST_DATABASE_KIND === 'embedded';

/** A TCP port nobody listens on (bound, read, released). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function productionEnv(databaseUrl: string, dataDir: string): Record<string, string | undefined> {
  return {
    DATABASE_URL: databaseUrl, JWT_SECRET: TEST_JWT_SECRET, ADMIN_TOKEN: TEST_ADMIN_TOKEN, PORT: '0',
    DATA_DIR: dataDir, DEMO: 'false', LOG_LEVEL: 'warn', LND_SOCKET: undefined, LND_CERT: undefined,
    LND_MACAROON: undefined,
  };
}

test('an unreachable DATABASE_URL is retried with back-off on stderr, then satgate exits 1 naming the cause', { timeout: 60_000 }, async () => {
  const dir = tempDir('satgate-dbwait-');
  const port = await freePort();
  const run = spawnNode([MAIN_JS], {
    ...productionEnv(`postgres://postgres:hunter2-not-logged@127.0.0.1:${port}/satgate`, dir),
    DATABASE_CONNECT_TIMEOUT: '2',
    LOG_FILE: path.join(dir, 'satgate.log'),
  });
  const exit = await run.exited;
  const out = run.output();
  assert.equal(exit.code, 1, out);
  assert.match(out, /satgate: database at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/satgate unreachable \(connect ECONNREFUSED [^)]*\); attempt 1, retrying in 0\.5 s/);
  assert.match(out, /attempt 2, retrying in 1\.0 s/, 'the delay doubles');
  assert.match(out, /satgate failed to start: the database at .* is unreachable .*gave up after \d+ attempt\(s\) in 2 s \(DATABASE_CONNECT_TIMEOUT\)/);
  assert.ok(!out.includes('hunter2-not-logged'), 'the password never reaches the output');
  assert.ok(!fs.readFileSync(path.join(dir, 'satgate.log'), 'utf8').includes('hunter2-not-logged'));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('DATABASE_CONNECT_TIMEOUT outside 0..3600 is a configuration error naming the variable', async () => {
  const run = spawnNode([MAIN_JS], { ...productionEnv('postgres://127.0.0.1:1/x', tempDir()), DATABASE_CONNECT_TIMEOUT: '-1' });
  assert.equal((await run.exited).code, 1);
  assert.match(run.output(), /DATABASE_CONNECT_TIMEOUT: expected an integer from 0 to 3600, got "-1"/);
});

test('satgate started before its database comes up by itself once the database answers', { skip: embedded && 'the embedded runner database is a unix socket', timeout: 120_000 }, async () => {
  const target = new URL(testDatabaseUrl());
  const port = await freePort();
  const via = new URL(target.toString());
  via.hostname = '127.0.0.1';
  via.port = String(port);
  const dir = tempDir('satgate-dbwait-');
  const run = spawnNode([MAIN_JS], { ...productionEnv(via.toString(), dir), DATABASE_CONNECT_TIMEOUT: '60' });
  await run.waitFor(/attempt 2, retrying/, 30_000);
  // The database "returns": a relay on the port satgate is trying, to the real server.
  const relay = net.createServer((socket) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(port, '127.0.0.1', resolve));
  try {
    const [, url] = await run.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 90_000);
    assert.equal((await fetch(`${url}/health`)).status, 200);
  } finally {
    run.child.kill('SIGTERM');
    await run.exited;
    relay.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
