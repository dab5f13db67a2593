/**
 * The `satgate` CLI's own surface: --version, help, and --help on every command and subcommand, which must
 * print usage and exit 0 without doing anything else (no server, no network, no files).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './support/app';
import { CLI_JS, ROOT, spawnNode } from './support/process';

async function cli(args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  const run = spawnNode([CLI_JS, ...args], { DATA_DIR: undefined, SATGATE_STORE: path.join(cwd, 'store') }, cwd);
  const { code } = await run.exited;
  return { code, out: run.output() };
}

describe('satgate CLI', () => {
  it('--version prints the package version', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v', 'version']) {
      assert.deepEqual(await cli([flag], tempDir()), { code: 0, out: `satgate ${version}\n` });
    }
  });

  it('help lists every command; help <command> prints that command\'s usage', async () => {
    const help = await cli(['help'], tempDir());
    assert.equal(help.code, 0);
    for (const name of ['start', 'fetch', 'tokens', 'regtest', 'help', '--version']) assert.match(help.out, new RegExp(`satgate ${name} `));
    assert.deepEqual(await cli(['--help'], tempDir()), help);
    const fetchHelp = await cli(['help', 'fetch'], tempDir());
    assert.equal(fetchHelp.code, 0);
    assert.match(fetchHelp.out, /^usage: satgate fetch <url>/);
    const none = await cli([], tempDir());
    assert.equal(none.code, 2);
    assert.match(none.out, /^usage: satgate <command>/);
  });

  const cases: Array<[string[], RegExp]> = [
    [['start', '--help'], /^usage: satgate start \[--env-file PATH\]/],
    [['fetch', '--help'], /^usage: satgate fetch <url>/],
    [['tokens', '--help'], /^usage: satgate tokens list/],
    [['tokens', 'list', '--help'], /^usage: satgate tokens list/],
    [['tokens', 'rm', 'x', '--help'], /^usage: satgate tokens list/],
    [['regtest', '--help'], /^usage: satgate regtest <subcommand>[\s\S]*pay <invoice> \[--data-dir DIR\] \[--max-fee SATS\] \[--timeout SECONDS\][\s\S]*start \[--data-dir DIR\]/],
    [['regtest', 'pay', '--help'], /^usage: satgate regtest pay <invoice>[\s\S]*--data-dir DIR[\s\S]*--max-fee SATS[\s\S]*--timeout SECONDS/],
    [['regtest', 'start', '--help'], /^usage: npm run regtest[\s\S]*--data-dir DIR/],
  ];
  for (const [args, usage] of cases) {
    it(`satgate ${args.join(' ')} prints usage, exits 0 and starts nothing`, async () => {
      const cwd = tempDir();
      const { code, out } = await cli(args, cwd);
      assert.equal(code, 0, out);
      assert.match(out, usage);
      assert.deepEqual(fs.readdirSync(cwd), [], 'no .satgate, no token store: nothing was started or written');
    });
  }

  it('an unknown regtest subcommand is a usage error listing the subcommands', async () => {
    const { code, out } = await cli(['regtest', 'frob'], tempDir());
    assert.equal(code, 2);
    assert.match(out, /^satgate regtest: unknown subcommand "frob"\nusage: satgate regtest <subcommand>/);
  });
});
