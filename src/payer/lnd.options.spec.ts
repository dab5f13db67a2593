import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveLndConnection } from './lnd.options';
import { UsageError } from './cli.support';

const root = mkdtempSync(join(tmpdir(), 'satgate-lnd-'));
after(() => rmSync(root, { recursive: true, force: true }));

function dir(name: string, files: Record<string, string>): string {
  const d = join(root, name);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(d, rel, '..'), { recursive: true });
    writeFileSync(join(d, rel), content);
  }
  return d;
}

describe('resolveLndConnection', () => {
  it('returns nothing when no LND flag is given (fine until something must be paid)', () => {
    assert.equal(resolveLndConnection({}), undefined);
  });

  it('reads the regtest layout: tls.cert, admin.macaroon and the socket file', () => {
    const d = dir('regtest', { 'tls.cert': 'c', 'admin.macaroon': 'm', socket: 'localhost:12345\n' });
    assert.deepEqual(resolveLndConnection({ lndDir: d }), {
      socket: 'localhost:12345',
      certPath: join(d, 'tls.cert'),
      macaroonPath: join(d, 'admin.macaroon'),
    });
  });

  it('reads an LND data directory, with the socket from --lnd-socket or the default', () => {
    const d = dir('lnd', { 'tls.cert': 'c', 'data/chain/bitcoin/regtest/admin.macaroon': 'm' });
    const mac = join(d, 'data/chain/bitcoin/regtest/admin.macaroon');
    assert.deepEqual(resolveLndConnection({ lndDir: d }), { socket: 'localhost:10009', certPath: join(d, 'tls.cert'), macaroonPath: mac });
    assert.equal(resolveLndConnection({ lndDir: d, lndSocket: 'localhost:10010' })?.socket, 'localhost:10010');
  });

  it('asks for --lnd-macaroon when the data directory has several networks', () => {
    const d = dir('multi', {
      'tls.cert': 'c',
      'data/chain/bitcoin/mainnet/admin.macaroon': 'm',
      'data/chain/bitcoin/testnet/admin.macaroon': 'm',
    });
    assert.throws(() => resolveLndConnection({ lndDir: d }), (e: unknown) => e instanceof UsageError && /mainnet, testnet.*--lnd-macaroon/.test(e.message));
    assert.equal(resolveLndConnection({ lndDir: d, lndMacaroon: '/x/admin.macaroon' })?.macaroonPath, '/x/admin.macaroon');
  });

  it('refuses incomplete explicit flags and a missing directory', () => {
    assert.throws(() => resolveLndConnection({ lndSocket: 'localhost:1' }), /needs --lnd-cert and --lnd-macaroon/);
    assert.throws(() => resolveLndConnection({ lndDir: join(root, 'nope') }), /does not exist/);
    assert.throws(() => resolveLndConnection({ lndDir: dir('empty', { 'tls.cert': 'c' }) }), /neither admin.macaroon/);
    assert.deepEqual(resolveLndConnection({ lndSocket: 'h:1', lndCert: '/c', lndMacaroon: '/m' }), {
      socket: 'h:1',
      certPath: '/c',
      macaroonPath: '/m',
    });
  });
});
