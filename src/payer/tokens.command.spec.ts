import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTokens } from './tokens.command';
import { FileTokenStore } from './file-token.store';
import { captureIo } from './l402.spec-support';
import type { TokenRecord } from './token.store';
import { addFirstPartyCaveat, newMacaroon } from '../core/l402/macaroon';
import { macaroonToBase64 } from '../core/l402/macaroon.codec';

const root = mkdtempSync(join(tmpdir(), 'satgate-tokens-'));
after(() => rmSync(root, { recursive: true, force: true }));

const MAC = 'AgEEbHNhdAJCAAB+secret';
const PRE = 'ee'.repeat(32);
const paid: TokenRecord = {
  origin: 'http://localhost:8080',
  state: 'paid',
  scheme: 'L402',
  macaroon: MAC,
  invoice: 'lnbcrt1x',
  paymentHash: 'ab'.repeat(32),
  amountSats: 21,
  preimage: PRE,
  feeSats: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  paidAt: '2026-01-01T00:00:02.000Z',
};
const pending: TokenRecord = {
  ...paid,
  origin: 'https://api.example:443',
  state: 'pending',
  scheme: 'LSAT',
  preimage: undefined,
  feeSats: undefined,
  paidAt: undefined,
  paymentHash: 'cd'.repeat(32),
};

async function storeWithTokens(name: string): Promise<string> {
  const dir = join(root, name);
  const store = new FileTokenStore(dir);
  await store.put(paid);
  await store.put(JSON.parse(JSON.stringify(pending)));
  return dir;
}

describe('satgate tokens', () => {
  it('lists origins, states and prices without any secret', async () => {
    const dir = await storeWithTokens('list');
    const c = captureIo();
    assert.equal(await runTokens(['list', '--store', dir], c.io), 0);
    assert.equal(
      c.stdout(),
      'ORIGIN\tSTATE\tSCHEME\tPRICE\tEXPIRES\tWHEN\n' +
        `http://localhost:8080\tpaid\tL402\t21 sats\tnever\tpaid 2026-01-01T00:00:02.000Z\n` +
        `https://api.example:443\tpending\tLSAT\t21 sats\tnever\tpending since 2026-01-01T00:00:00.000Z (payment ${'cd'.repeat(32)})\n`,
    );
    const j = captureIo();
    assert.equal(await runTokens(['list', '--json', '--store', dir], j.io), 0);
    assert.equal(JSON.parse(j.stdout()).length, 2);
    assert.ok(!j.stdout().includes(MAC) && !j.stdout().includes(PRE));
  });

  it('shows the earliest _valid_until caveat as the expiry, marking one in the past', async () => {
    const dir = join(root, 'expiry');
    const store = new FileTokenStore(dir);
    const withCaveats = (...caveats: string[]) => {
      let mac = newMacaroon({ rootKey: Buffer.alloc(32, 1), identifier: Buffer.alloc(66), location: 'lsat' });
      for (const c of caveats) mac = addFirstPartyCaveat(mac, c);
      return macaroonToBase64(mac);
    };
    await store.put({ ...paid, macaroon: withCaveats('services=demo:0', 'demo_valid_until=4102444800', 'other_valid_until=4102444000') });
    await store.put({ ...paid, origin: 'http://old.example:80', macaroon: withCaveats('demo_valid_until=1700000000') });
    const c = captureIo();
    assert.equal(await runTokens(['list', '--store', dir], c.io), 0);
    const rows = c.stdout().trim().split('\n').map((l) => l.split('\t'));
    assert.deepEqual(rows[0], ['ORIGIN', 'STATE', 'SCHEME', 'PRICE', 'EXPIRES', 'WHEN']);
    const byOrigin = Object.fromEntries(rows.slice(1).map((r) => [r[0], r[4]]));
    assert.deepEqual(byOrigin, {
      'http://localhost:8080': new Date(4102444000 * 1000).toISOString(),
      'http://old.example:80': `${new Date(1700000000 * 1000).toISOString()} (expired)`,
    });
  });

  it('reads the store location from SATGATE_STORE', async () => {
    const dir = await storeWithTokens('env');
    const old = process.env.SATGATE_STORE;
    process.env.SATGATE_STORE = dir;
    try {
      const c = captureIo();
      assert.equal(await runTokens(['list'], c.io), 0);
      assert.equal(c.stdout().split('\n').filter(Boolean).length, 3, 'header + 2 tokens');
    } finally {
      if (old === undefined) delete process.env.SATGATE_STORE;
      else process.env.SATGATE_STORE = old;
    }
  });

  it('shows one token, secrets only with --reveal, accepting the origin as a URL or host:port', async () => {
    const dir = await storeWithTokens('show');
    const c = captureIo();
    assert.equal(await runTokens(['show', 'localhost:8080', '--store', dir], c.io), 0);
    const shown = JSON.parse(c.stdout());
    assert.equal(shown.paymentHash, paid.paymentHash);
    assert.equal(shown.macaroon, '(hidden; use --reveal)');
    assert.equal(shown.preimage, '(hidden; use --reveal)');
    const r = captureIo();
    assert.equal(await runTokens(['show', 'http://localhost:8080/some/path', '--reveal', '--store', dir], r.io), 0);
    assert.deepEqual(JSON.parse(r.stdout()), paid);
  });

  it('removes a token, and says so when there is none', async () => {
    const dir = await storeWithTokens('rm');
    const c = captureIo();
    assert.equal(await runTokens(['rm', 'https://api.example', '--store', dir], c.io), 0);
    assert.equal(c.stderr(), 'removed the token for https://api.example:443\n');
    assert.deepEqual((await new FileTokenStore(dir).list()).map((t) => t.origin), ['http://localhost:8080']);
    const again = captureIo();
    assert.equal(await runTokens(['rm', 'https://api.example', '--store', dir], again.io), 1);
    assert.equal(again.stderr(), 'no token stored for https://api.example:443\n');
  });

  it('lists the good tokens past a damaged file, warning about it by path with the command removing it', async () => {
    const dir = await storeWithTokens('damaged');
    writeFileSync(join(dir, 'http_broken.example_80.json'), '{"origin": "http://broken.exa');
    const c = captureIo();
    assert.equal(await runTokens(['list', '--store', dir], c.io), 0);
    assert.equal(c.stdout().split('\n').filter(Boolean).length, 3, 'header + 2 tokens');
    assert.match(c.stdout(), /^ORIGIN\t.*\nhttp:\/\/localhost:8080\tpaid/);
    assert.equal(
      c.stderr(),
      `warning: skipped ${join(dir, 'http_broken.example_80.json')}: not valid JSON; ` +
        `remove it with: satgate tokens rm http://broken.example:80 --store ${dir}\n`,
    );
    const j = captureIo();
    assert.equal(await runTokens(['list', '--json', '--store', dir], j.io), 0);
    assert.equal(JSON.parse(j.stdout()).length, 2);
    assert.match(j.stderr(), /^warning: skipped /);

    // The printed command works.
    assert.equal(await runTokens(['rm', 'http://broken.example:80', '--store', dir], captureIo().io), 0);
    const after = captureIo();
    assert.equal(await runTokens(['list', '--store', dir], after.io), 0);
    assert.equal(after.stderr(), '');
  });

  it('exits 2 on a --store directory others can access, leaving its mode alone', async () => {
    const dir = join(root, 'shared');
    mkdirSync(dir);
    chmodSync(dir, 0o1777);
    const c = captureIo();
    assert.equal(await runTokens(['list', '--store', dir], c.io), 2);
    assert.match(c.stderr(), new RegExp(`^satgate tokens: token store directory ${dir} is accessible to group or others \\(mode 1777\\)`));
    assert.match(c.stderr(), new RegExp(`run "chmod 700 ${dir}"`));
    assert.equal(statSync(dir).mode & 0o7777, 0o1777);
  });

  it('exits 2 on usage errors', async () => {
    for (const argv of [[], ['frob'], ['show'], ['rm', 'a', 'b'], ['list', 'x'], ['list', '--bogus'], ['show', 'ftp://x']]) {
      const c = captureIo();
      assert.equal(await runTokens(argv, c.io), 2, `argv ${JSON.stringify(argv)}`);
      assert.match(c.stderr(), /satgate tokens: /);
    }
  });
});
