/**
 * `npm start` reads ./.env, or the file named by --env-file, before validating the configuration; the
 * environment wins over the file. Bad values make it exit 1 at once, so these runs never start a server.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './support/app';
import { CLI_JS, MAIN_JS, spawnNode } from './support/process';

async function start(args: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  const run = spawnNode([MAIN_JS, ...args], { PORT: undefined, LOG_LEVEL: undefined, DATABASE_URL: undefined, ...env }, cwd);
  const { code } = await run.exited;
  return { code, out: run.output() };
}

describe('.env and --env-file', () => {
  it('./.env is read when present; a variable set in the environment wins over it', async () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, '.env'), '# from .env\nPORT=not-a-port\nLOG_LEVEL=loud\n');
    const fromFile = await start([], cwd);
    assert.equal(fromFile.code, 1, fromFile.out);
    assert.match(fromFile.out, /satgate: read configuration from \.env\n/);
    assert.match(fromFile.out, /PORT: expected an integer from 0 to 65535, got "not-a-port"/);
    assert.match(fromFile.out, /LOG_LEVEL: expected one of .*, got "loud"/);

    const overridden = await start([], cwd, { PORT: '0' });
    assert.equal(overridden.code, 1, overridden.out);
    assert.doesNotMatch(overridden.out, /PORT:/);
    assert.match(overridden.out, /LOG_LEVEL: expected one of .*, got "loud"/);
  });

  it('--env-file PATH reads that file instead, through npm start and satgate start alike', async () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'prod.env'), 'DATABASE_URL=mysql://nope\n');
    for (const args of [[MAIN_JS, '--env-file', 'prod.env'], [CLI_JS, 'start', '--env-file=prod.env']]) {
      const run = spawnNode(args, { DATABASE_URL: undefined }, cwd);
      const { code } = await run.exited;
      assert.equal(code, 1, run.output());
      assert.match(run.output(), /read configuration from prod\.env\n/);
      assert.match(run.output(), /DATABASE_URL: expected a postgres: or postgresql: URL/);
    }
  });

  it('a missing --env-file is an error naming it', async () => {
    const { code, out } = await start(['--env-file', 'nope.env'], tempDir());
    // Node 20 itself also picks up --env-file after the script name and exits 9 on a missing file.
    assert.ok(code === 1 || code === 9, `exit code ${code}`);
    assert.match(out, /^(satgate: --env-file nope\.env: no such file|\S*node: nope\.env: not found)\n$/);
  });
});
