import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { allows, MacaroonRejected, MacaroonVerifier, mintMacaroon, ROLE_PERMISSIONS } from './lnd.macaroon';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const macaroonLib = require('macaroon') as {
  importMacaroon(bytes: Uint8Array): {
    identifier: Uint8Array;
    location: string;
    caveats: unknown[];
    verify(rootKey: Uint8Array, check: (c: string) => string | null): void;
    addFirstPartyCaveat(c: string): void;
    exportBinary(): Uint8Array;
  };
};

const rootKey = Buffer.alloc(32, 7);
const otherKey = Buffer.alloc(32, 8);

describe('LND macaroons', () => {
  it('are V2 binary macaroons the npm macaroon package reads and verifies with the root key', { timeout: 20000 }, () => {
    const bytes = mintMacaroon(rootKey, 'admin');
    assert.equal(bytes[0], 2);
    const m = macaroonLib.importMacaroon(bytes);
    assert.equal(m.location, 'lnd');
    assert.equal(Buffer.from(m.identifier)[0], 3, 'LND identifier version byte');
    assert.equal(m.caveats.length, 0);
    m.verify(rootKey, () => null);
    assert.throws(() => m.verify(otherKey, () => null), /signature mismatch/);
  });

  it('grant each role exactly LND permission set', { timeout: 20000 }, () => {
    const verifier = new MacaroonVerifier(rootKey);
    const ops = (role: 'admin' | 'invoice' | 'readonly') => verifier.verify(mintMacaroon(rootKey, role).toString('hex')).ops;
    assert.deepEqual(ops('invoice'), ROLE_PERMISSIONS.invoice);
    assert.equal(allows(ops('invoice'), 'invoices', 'write'), true);
    assert.equal(allows(ops('invoice'), 'info', 'read'), false);
    assert.equal(allows(ops('invoice'), 'offchain', 'write'), false);
    assert.equal(allows(ops('readonly'), 'offchain', 'read'), true);
    assert.equal(allows(ops('readonly'), 'invoices', 'write'), false);
    assert.equal(allows(ops('admin'), 'offchain', 'write'), true);
  });

  it('are refused with LND texts when missing, forged, tampered or garbage', { timeout: 20000 }, () => {
    const verifier = new MacaroonVerifier(rootKey);
    assert.throws(() => verifier.verify(undefined), { message: 'expected 1 macaroon, got 0' });
    const forged = mintMacaroon(otherKey, 'admin').toString('hex');
    assert.throws(() => verifier.verify(forged), {
      message: 'verification failed: signature mismatch after caveat verification',
    });
    const tampered = mintMacaroon(rootKey, 'invoice');
    tampered[tampered.length - 1] ^= 1;
    assert.throws(() => verifier.verify(tampered.toString('hex')), MacaroonRejected);
    assert.throws(() => verifier.verify('zz'), /unable to unmarshal macaroon/);
  });

  it('check first-party caveats: time-before passes until it expires, unknown caveats fail', { timeout: 20000 }, () => {
    const verifier = new MacaroonVerifier(rootKey);
    const withCaveat = (caveat: string) => {
      const m = macaroonLib.importMacaroon(mintMacaroon(rootKey, 'readonly'));
      m.addFirstPartyCaveat(caveat);
      return Buffer.from(m.exportBinary()).toString('hex');
    };
    const until = new Date(Date.UTC(2030, 0, 1)).toISOString();
    const timed = withCaveat(`time-before ${until}`);
    assert.ok(verifier.verify(timed, new Date(Date.UTC(2029, 11, 31))).ops.length > 0);
    assert.throws(() => verifier.verify(timed, new Date(Date.UTC(2030, 0, 2))), /macaroon has expired/);
    assert.throws(() => verifier.verify(withCaveat('ipaddr 10.0.0.1')), /caveat not recognized/);
  });

  it('derive the signature the way go-macaroon does', { timeout: 20000 }, () => {
    const bytes = mintMacaroon(rootKey, 'readonly');
    const m = macaroonLib.importMacaroon(bytes);
    const key = createHmac('sha256', 'macaroons-key-generator').update(rootKey).digest();
    const sig = createHmac('sha256', key).update(Buffer.from(m.identifier)).digest();
    assert.deepEqual(bytes.subarray(bytes.length - 32), sig);
  });
});
