import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createInvoice } from 'lightning';
import { startRegtestNetwork, type RegtestNetwork } from './network';
import { runRegtestPay } from './pay.command';
import { lndClient, type LndClient } from './regtest.clients';

function capture(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, env },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

describe('satgate regtest pay', () => {
  let dataDir: string;
  let net: RegtestNetwork;
  let merchant: LndClient;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'satgate-pay-'));
    net = await startRegtestNetwork({ dataDir });
    merchant = lndClient(net.merchant, 'invoice');
  });

  after(async () => {
    merchant?.close();
    await net?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('pays an invoice and prints the preimage whose sha256 is the payment hash', { timeout: 20000 }, async () => {
    const inv = await createInvoice({ lnd: merchant.lnd, tokens: 21 });
    const c = capture();
    const code = await runRegtestPay([inv.request, '--data-dir', dataDir], c.io);
    assert.equal(code, 0, c.stderr());
    const preimage = c.stdout().trim();
    assert.match(preimage, /^[0-9a-f]{64}$/);
    assert.equal(createHash('sha256').update(Buffer.from(preimage, 'hex')).digest('hex'), inv.id);
  });

  it('takes the data dir from DATA_DIR and tolerates a leading "regtest pay"', { timeout: 20000 }, async () => {
    const inv = await createInvoice({ lnd: merchant.lnd, tokens: 1 });
    const c = capture({ DATA_DIR: dataDir });
    assert.equal(await runRegtestPay(['regtest', 'pay', inv.request], c.io), 0, c.stderr());
    assert.equal(c.stdout().trim(), inv.secret);
  });

  it('exits 4 with a clear message when the invoice was already paid', { timeout: 20000 }, async () => {
    const inv = await createInvoice({ lnd: merchant.lnd, tokens: 2 });
    assert.equal(await runRegtestPay([inv.request, '--data-dir', dataDir], capture().io), 0);
    const c = capture();
    assert.equal(await runRegtestPay([inv.request, '--data-dir', dataDir], c.io), 4);
    assert.equal(c.stdout(), '');
    assert.match(c.stderr(), /payment failed: already_paid \(invoice is already paid\)/);
  });

  it('exits 4 and says so when no network runs on the data dir', { timeout: 20000 }, async () => {
    const empty = mkdtempSync(join(tmpdir(), 'satgate-pay-empty-'));
    try {
      const c = capture();
      assert.equal(await runRegtestPay(['lnbcrt1x', '--data-dir', empty], c.io), 4);
      assert.equal(
        c.stderr(),
        `no regtest network is running on --data-dir ${empty}.\n` +
          'If satgate runs with another DATA_DIR, pass it: satgate regtest pay <invoice> --data-dir <that DATA_DIR>\n',
      );
      const defaulted = capture({ DATA_DIR: empty });
      assert.equal(await runRegtestPay(['lnbcrt1x'], defaulted.io), 4);
      assert.match(defaulted.stderr(), /^no regtest network is running on .* \(the default: \$DATA_DIR, else \.\/\.satgate\)\.\n/);
      assert.match(defaulted.stderr(), /pass it: satgate regtest pay <invoice> --data-dir <that DATA_DIR>/);
      mkdirSync(join(empty, 'regtest', 'payer'), { recursive: true }); // a network that ran here once
      const stopped = capture();
      assert.equal(await runRegtestPay(['lnbcrt1x', '--data-dir', empty], stopped.io), 4);
      assert.match(stopped.stderr(), /\nIts network is stopped: start satgate \(npm start\) or the network alone \(npm run regtest\) with that DATA_DIR\.\n/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('exits 2 on usage errors', { timeout: 20000 }, async () => {
    const none = capture();
    assert.equal(await runRegtestPay([], none.io), 2);
    assert.match(none.stderr(), /usage: satgate regtest pay <invoice>/);
    assert.equal(await runRegtestPay(['a', 'b'], capture().io), 2);
    assert.equal(await runRegtestPay(['x', '--bogus'], capture().io), 2);
    assert.equal(await runRegtestPay(['x', '--max-fee', '-1'], capture().io), 2);
  });
});
