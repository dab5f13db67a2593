import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAIN_JS, spawnNode, type Spawned } from './support/process';
import { tempDir } from './support/app';

/**
 * Every file satgate writes under DATA_DIR is 0600 and every directory 0700 — the embedded Postgres's own
 * files included — whatever the umask it was started with; an existing DATA_DIR open to group or others is
 * refused with the fix; files an earlier version left 0644 are narrowed at the next start.
 */

/** The env a fresh clone has: embedded defaults (PGlite, regtest, demo origin), nothing of satgate's own set. */
function freshEnv(dataDir: string): Record<string, string | undefined> {
  return {
    DATA_DIR: dataDir, PORT: '0', DATABASE_URL: undefined, JWT_SECRET: undefined, ADMIN_TOKEN: undefined,
    LND_SOCKET: undefined, LND_CERT: undefined, LND_MACAROON: undefined, DEMO: undefined, LOG_LEVEL: 'warn',
    LOG_FILE: path.join(dataDir, 'satgate.log'),
  };
}

/** Starts `npm start`'s entry point under umask 022 (what most shells have): modes must not depend on it. */
function start(dataDir: string): Spawned {
  const old = process.umask(0o022);
  try {
    return spawnNode([MAIN_JS], freshEnv(dataDir));
  } finally {
    process.umask(old);
  }
}

interface Entry {
  rel: string;
  kind: 'dir' | 'file' | 'socket' | 'other';
  mode: number;
}

function listTree(root: string): Entry[] {
  const out: Entry[] = [];
  const visit = (p: string): void => {
    const st = fs.lstatSync(p);
    const kind = st.isDirectory() ? 'dir' : st.isFile() ? 'file' : st.isSocket() ? 'socket' : 'other';
    out.push({ rel: path.relative(root, p) || '.', kind, mode: st.mode & 0o7777 });
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) visit(path.join(p, name));
  };
  visit(root);
  return out;
}

/** Entries whose mode is not exactly 0700 (directories) or 0600 (files and sockets). */
function offenders(entries: Entry[]): string[] {
  return entries
    .filter((e) => e.mode !== (e.kind === 'dir' ? 0o700 : 0o600))
    .map((e) => `${e.rel} (${e.kind} ${e.mode.toString(8).padStart(4, '0')})`);
}

test('a fresh DATA_DIR under umask 022: every file 0600, every directory 0700, the embedded database included', { timeout: 240_000 }, async () => {
  const dataDir = path.join(tempDir('satgate-modes-'), 'data');
  const run = start(dataDir);
  try {
    const [, url] = await run.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 120_000);
    // A paid built-in route and a paid gateway route: invoices on the regtest node, root keys in the database.
    assert.equal((await fetch(`${url}/demo/paid`)).status, 402);
    assert.equal((await fetch(`${url}/v1/quote`)).status, 402);
    const running = listTree(dataDir);
    assert.deepEqual(offenders(running), [], 'while running');
    assert.ok(running.some((e) => e.kind === 'socket' && e.rel === '.s.PGSQL.5432'), 'the database socket is there, 0600');
  } finally {
    run.child.kill('SIGINT');
    assert.equal((await run.exited).code, 0, run.output());
  }
  const entries = listTree(dataDir);
  assert.deepEqual(offenders(entries), [], 'after a clean stop');
  const files = entries.filter((e) => e.kind === 'file');
  const pgFiles = files.filter((e) => e.rel.startsWith('pgdata/'));
  assert.ok(pgFiles.length > 100, `PGlite's files were listed (${pgFiles.length})`);
  for (const rel of [
    'secrets.json', 'postgres.url', 'demo-origin.url', 'satgate.log', 'regtest/network.json',
    'regtest/merchant/node.json', 'regtest/merchant/tls.cert', 'regtest/merchant/tls.key',
    'regtest/merchant/admin.macaroon', 'regtest/merchant/invoice.macaroon', 'regtest/merchant/readonly.macaroon',
    'regtest/payer/admin.macaroon',
  ]) {
    assert.ok(files.some((e) => e.rel === rel), `${rel} was written`);
  }
  assert.ok(files.filter((e) => e.rel.startsWith('regtest/merchant/invoices/')).length >= 2, 'one file per invoice');
  fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
});

test('an existing DATA_DIR open to group or others is refused naming the fix, and left untouched', { timeout: 60_000 }, async () => {
  for (const mode of [0o755, 0o750, 0o701, 0o777]) {
    const dataDir = path.join(tempDir('satgate-open-'), 'data');
    fs.mkdirSync(dataDir);
    fs.chmodSync(dataDir, mode);
    const run = start(dataDir);
    const exit = await run.exited;
    assert.equal(exit.code, 1, run.output());
    const octal = mode.toString(8).padStart(4, '0');
    assert.ok(
      run.output().includes(`DATA_DIR ${dataDir} is accessible to group or others (mode ${octal})`) &&
        run.output().includes(`run "chmod 700 ${dataDir}" if that directory holds nothing else, or set DATA_DIR to another directory`),
      run.output(),
    );
    assert.equal(fs.statSync(dataDir).mode & 0o7777, mode, 'never chmodded');
    assert.deepEqual(fs.readdirSync(dataDir), [], 'nothing written');
    fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
  }
});

test('files and directories an earlier version left open inside a private DATA_DIR are narrowed at start', { timeout: 60_000 }, async () => {
  const dataDir = path.join(tempDir('satgate-old-'), 'data');
  // What an earlier version's files look like: written under umask 022 (or 000) by the database or by satgate.
  fs.mkdirSync(path.join(dataDir, 'backup', 'nested'), { recursive: true });
  fs.chmodSync(dataDir, 0o700);
  fs.chmodSync(path.join(dataDir, 'backup'), 0o755);
  fs.chmodSync(path.join(dataDir, 'backup', 'nested'), 0o777);
  fs.writeFileSync(path.join(dataDir, 'backup', 'nested', 'relation'), 'x');
  fs.chmodSync(path.join(dataDir, 'backup', 'nested', 'relation'), 0o666);
  fs.writeFileSync(path.join(dataDir, 'demo-origin.url'), 'http://old\n');
  fs.chmodSync(path.join(dataDir, 'demo-origin.url'), 0o644);
  const run = start(dataDir);
  try {
    await run.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 120_000);
    const entries = listTree(dataDir);
    assert.deepEqual(offenders(entries), []);
    assert.equal(fs.readFileSync(path.join(dataDir, 'backup', 'nested', 'relation'), 'utf8'), 'x', 'contents kept');
    assert.notEqual(fs.readFileSync(path.join(dataDir, 'demo-origin.url'), 'utf8'), 'http://old\n', 'rewritten, and still 0600');
  } finally {
    run.child.kill('SIGINT');
    await run.exited;
  }
  fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
});
