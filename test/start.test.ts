import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { MAIN_JS, spawnNode } from './support/process';
import { tempDir } from './support/app';

/** The env a fresh clone has: nothing of satgate's own set. */
function freshEnv(dataDir: string): Record<string, string | undefined> {
  return {
    DATA_DIR: dataDir, PORT: '0', DATABASE_URL: undefined, JWT_SECRET: undefined, ADMIN_TOKEN: undefined,
    LND_SOCKET: undefined, LND_CERT: undefined, LND_MACAROON: undefined, DEMO: undefined, LOG_LEVEL: 'warn',
  };
}

function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)]).toString().trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

test('npm start on embedded defaults: health 200, banner, clean Ctrl-C, and a second start reuses the data', { timeout: 180_000 }, async () => {
  const dataDir = tempDir('satgate-start-');
  const first = spawnNode([MAIN_JS], freshEnv(dataDir));
  const [, url] = await first.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 90_000);
  const [, adminToken] = await first.waitFor(/Admin token\s+(\S+)/);
  const health = await fetch(`${url}/health`);
  assert.equal(health.status, 200);
  const ping = await fetch(`${url}/admin/ping`, { headers: { authorization: `Bearer ${adminToken}` } });
  assert.equal(ping.status, 200);
  const children = childPids(first.child.pid!);
  assert.ok(children.length >= 1, 'embedded Postgres runs as a child process');

  first.child.kill('SIGINT');
  const exit = await first.exited;
  assert.equal(exit.code, 0, first.output());
  for (const pid of children) assert.throws(() => process.kill(pid, 0), 'no child process is left running');
  assert.ok(!first.output().includes('"level":50'), 'no error was logged');

  const second = spawnNode([MAIN_JS], freshEnv(dataDir));
  try {
    const [, url2] = await second.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 90_000);
    const [, adminToken2] = await second.waitFor(/Admin token\s+(\S+)/);
    assert.equal(adminToken2, adminToken, 'the same admin token after a restart');
    assert.equal((await fetch(`${url2}/health`)).status, 200);
  } finally {
    second.child.kill('SIGINT');
    assert.equal((await second.exited).code, 0);
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('PORT=abc exits non-zero and names PORT', async () => {
  const run = spawnNode([MAIN_JS], { ...freshEnv(tempDir()), PORT: 'abc' });
  const exit = await run.exited;
  assert.equal(exit.code, 1);
  assert.match(run.output(), /PORT: expected an integer from 0 to 65535, got "abc"/);
});
