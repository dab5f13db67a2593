import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LightningService } from '../lightning/lightning.service';
import { resolveCredential } from '../lightning/lnd-credentials';

describe('npm run regtest (main.js)', () => {
  it('prints working LND_* settings for both nodes and stops cleanly on SIGTERM', { timeout: 20000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'satgate-main-'));
    const child = spawn(process.execPath, [join(__dirname, 'main.js')], {
      env: { ...process.env, DATA_DIR: dataDir, NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let service: LightningService | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => stdout.includes('Press Ctrl-C') && resolve());
        child.on('exit', () => reject(new Error(`exited early: ${stdout}`)));
      });
      const lines = stdout.split('\n').filter((l) => l.startsWith('LND_SOCKET='));
      assert.equal(lines.length, 2, stdout);
      const [merchantLine] = lines;
      const env = Object.fromEntries(merchantLine.split(' ').map((kv) => kv.split('=') as [string, string]));
      assert.match(env.LND_SOCKET, /^localhost:\d+$/);
      assert.equal(env.LND_CERT, join(dataDir, 'regtest', 'merchant', 'tls.cert'));
      assert.equal(env.LND_MACAROON, join(dataDir, 'regtest', 'merchant', 'admin.macaroon'));
      assert.match(stdout, /# merchant .* the node satgate uses/);

      service = new LightningService({
        socket: env.LND_SOCKET,
        cert: resolveCredential(env.LND_CERT),
        macaroon: resolveCredential(env.LND_MACAROON),
      });
      assert.equal((await service.nodeInfo()).alias, 'satgate-merchant');

      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.equal(existsSync(join(dataDir, 'regtest', 'merchant', 'socket')), false, 'socket file removed on stop');
      assert.equal(existsSync(join(dataDir, 'regtest', 'network.pid')), false, 'lock released');
    } finally {
      service?.close();
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
