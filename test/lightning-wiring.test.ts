import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { BUILD_ROOT, spawnNode, Spawned } from './support/process';
import { adminHeaders, startTestApp, tempDir } from './support/app';
import { resetDatabase } from './support/database';

/** satgate pointed by LND_* at a separately started `npm run regtest` uses that node. */
let regtest: Spawned;
let satgate: RunningSatgate | undefined;
let env: Record<string, string>;
let merchantPubkey: string;

before(async () => {
  await resetDatabase();
  regtest = spawnNode([path.join(BUILD_ROOT, 'src', 'regtest', 'main.js')], { DATA_DIR: tempDir('satgate-regtest-') });
  const [, pubkey] = await regtest.waitFor(/# merchant \(([0-9a-f]{66})\)/);
  const [, socket, cert, macaroon] = await regtest.waitFor(/^LND_SOCKET=(\S+) LND_CERT=(\S+) LND_MACAROON=(\S+)$/m);
  merchantPubkey = pubkey;
  env = { LND_SOCKET: socket, LND_CERT: cert, LND_MACAROON: macaroon };
});

after(async () => {
  await satgate?.close();
  regtest?.child.kill('SIGTERM');
  await regtest?.exited;
});

test('health shows the separately started merchant node', { timeout: 60_000 }, async () => {
  satgate = await startTestApp(env);
  const res = await fetch(`${satgate.url}/health`, { headers: adminHeaders });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { checks: { lightning: Record<string, unknown> } };
  assert.equal(body.checks.lightning.ok, true);
  assert.equal(body.checks.lightning.pubkey, merchantPubkey);
  assert.equal(body.checks.lightning.alias, 'satgate-merchant');
  assert.equal(body.checks.lightning.network, 'regtest');
});

test('health is 503 naming lightning once that node is gone', { timeout: 60_000 }, async () => {
  regtest.child.kill('SIGTERM');
  await regtest.exited;
  const res = await fetch(`${satgate!.url}/health`, { headers: adminHeaders });
  assert.equal(res.status, 503);
  const body = (await res.json()) as { down: string[]; checks: { lightning: { ok: boolean } } };
  assert.deepEqual(body.down, ['lightning']);
  assert.equal(body.checks.lightning.ok, false);
});
