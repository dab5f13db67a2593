import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readNodeDir, resolveCredential } from './lnd-credentials';

const macaroonBytes = Buffer.from('0201036c6e6402f801030a10', 'hex');
const pem = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';

describe('resolveCredential', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'satgate-creds-'));
    writeFileSync(join(dir, 'admin.macaroon'), macaroonBytes);
    writeFileSync(join(dir, 'tls.cert'), pem);
    writeFileSync(join(dir, 'hex.macaroon'), `${macaroonBytes.toString('hex')}\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a binary macaroon file and returns base64 of its bytes', { timeout: 20000 }, () => {
    assert.equal(resolveCredential(join(dir, 'admin.macaroon')), macaroonBytes.toString('base64'));
  });

  it('reads a PEM certificate file as base64 of the whole file', { timeout: 20000 }, () => {
    assert.equal(resolveCredential(join(dir, 'tls.cert')), Buffer.from(pem).toString('base64'));
  });

  it('decodes a file that holds hex text', { timeout: 20000 }, () => {
    assert.equal(resolveCredential(join(dir, 'hex.macaroon')), macaroonBytes.toString('base64'));
  });

  it('accepts hex, standard base64, URL-safe unpadded base64 and pasted PEM', { timeout: 20000 }, () => {
    const b64 = macaroonBytes.toString('base64');
    assert.equal(resolveCredential(macaroonBytes.toString('hex')), b64);
    assert.equal(resolveCredential(b64), b64);
    assert.equal(resolveCredential(macaroonBytes.toString('base64url')), b64);
    assert.equal(resolveCredential(`  ${b64}\n`), b64);
    assert.equal(resolveCredential(pem.trim()), Buffer.from(pem).toString('base64'));
  });

  it('rejects a missing file path and garbage without echoing the value', { timeout: 20000 }, () => {
    assert.throws(() => resolveCredential('/no/such/admin.macaroon'), /file not found: \/no\/such\/admin.macaroon/);
    assert.throws(() => resolveCredential('secret!value'), (err: Error) => {
      assert.doesNotMatch(err.message, /secret!value/);
      assert.match(err.message, /neither an existing file path nor hex nor base64/);
      return true;
    });
    assert.throws(() => resolveCredential('   '), /empty/);
  });
});

describe('readNodeDir', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'satgate-node-'));
    mkdirSync(join(dir, 'payer'));
    writeFileSync(join(dir, 'payer', 'tls.cert'), pem);
    writeFileSync(join(dir, 'payer', 'admin.macaroon'), macaroonBytes);
    writeFileSync(join(dir, 'payer', 'invoice.macaroon'), Buffer.from([2, 9]));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('explains that the network is not running when there is no socket file', { timeout: 20000 }, () => {
    assert.throws(() => readNodeDir(join(dir, 'payer')), /is the regtest network running\?/);
  });

  it('returns socket, base64 cert and the chosen macaroon', { timeout: 20000 }, () => {
    writeFileSync(join(dir, 'payer', 'socket'), 'localhost:12345\n');
    assert.deepEqual(readNodeDir(join(dir, 'payer')), {
      socket: 'localhost:12345',
      cert: Buffer.from(pem).toString('base64'),
      macaroon: macaroonBytes.toString('base64'),
    });
    assert.equal(readNodeDir(join(dir, 'payer'), 'invoice').macaroon, Buffer.from([2, 9]).toString('base64'));
  });
});
