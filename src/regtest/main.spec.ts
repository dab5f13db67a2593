import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LightningService } from '../lightning/lightning.service';
import { resolveCredential } from '../lightning/lnd-credentials';

/** Runs `main.js` on `dataDir` until it printed its settings; `stop()` sends SIGTERM and resolves the exit code. */
async function runMain(dataDir: string): Promise<{ stdout: string; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, [join(__dirname, 'main.js')], {
    env: { ...process.env, DATA_DIR: dataDir, NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => stdout.includes('Press Ctrl-C') && resolve());
      child.on('exit', () => reject(new Error(`exited early: ${stdout}`)));
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { stdout, stop };
}

const settingsLines = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('LND_SOCKET='));

describe('npm run regtest (main.js)', () => {
  it('prints working LND_* settings for both nodes and stops cleanly on SIGTERM', { timeout: 20000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'satgate-main-'));
    const run = await runMain(dataDir);
    let service: LightningService | undefined;
    try {
      const lines = settingsLines(run.stdout);
      assert.equal(lines.length, 2, run.stdout);
      const [merchantLine] = lines;
      const env = Object.fromEntries(merchantLine.split(' ').map((kv) => kv.split('=') as [string, string]));
      assert.match(env.LND_SOCKET, /^localhost:\d+$/);
      assert.equal(env.LND_CERT, join(dataDir, 'regtest', 'merchant', 'tls.cert'));
      assert.equal(env.LND_MACAROON, join(dataDir, 'regtest', 'merchant', 'admin.macaroon'));
      assert.match(run.stdout, /# merchant .* the node satgate uses/);

      service = new LightningService({
        socket: env.LND_SOCKET,
        cert: resolveCredential(env.LND_CERT),
        macaroon: resolveCredential(env.LND_MACAROON),
      });
      assert.equal((await service.nodeInfo()).alias, 'satgate-merchant');

      assert.equal(await run.stop(), 0);
      assert.equal(existsSync(join(dataDir, 'regtest', 'merchant', 'socket')), false, 'socket file removed on stop');
      assert.equal(existsSync(join(dataDir, 'regtest', 'network.pid')), false, 'lock released');
    } finally {
      service?.close();
      await run.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('prints the same LND_* settings after a restart, so a satgate configured from them keeps working', { timeout: 20000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'satgate-main-restart-'));
    try {
      const first = await runMain(dataDir);
      assert.equal(await first.stop(), 0);
      const second = await runMain(dataDir);
      assert.equal(await second.stop(), 0);
      assert.equal(settingsLines(first.stdout).length, 2, first.stdout);
      assert.deepEqual(settingsLines(second.stdout), settingsLines(first.stdout));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
