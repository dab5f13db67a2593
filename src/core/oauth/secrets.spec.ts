import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  constantTimeEqual,
  generateClientId,
  generateClientSecret,
  generateOpaqueToken,
  hashSecret,
  MIN_SECRET_BYTES,
  verifySecretHash,
} from './secrets';

describe('opaque tokens', () => {
  it('are 256-bit base64url without padding (43 chars)', () => {
    const token = generateOpaqueToken();
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(token, 'base64url').length, MIN_SECRET_BYTES);
  });
  it('grow with the requested size', () => {
    assert.equal(Buffer.from(generateOpaqueToken(48), 'base64url').length, 48);
  });
  it('refuse less than 256 bits', () => {
    assert.throws(() => generateOpaqueToken(16), RangeError);
    assert.throws(() => generateOpaqueToken(31.5), RangeError);
  });
  it('do not repeat', () => {
    const seen = new Set(Array.from({ length: 200 }, () => generateOpaqueToken()));
    assert.equal(seen.size, 200);
  });
  it('client secrets look the same; client ids are 128-bit', () => {
    assert.match(generateClientSecret(), /^[A-Za-z0-9_-]{43}$/);
    assert.match(generateClientId(), /^[A-Za-z0-9_-]{22}$/);
  });
});

describe('hashing and comparison', () => {
  it('hashSecret is lowercase hex SHA-256 (FIPS 180-2 "abc" vector)', () => {
    assert.equal(hashSecret('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  it('verifySecretHash accepts the secret and nothing else', () => {
    const secret = generateOpaqueToken();
    const stored = hashSecret(secret);
    assert.equal(verifySecretHash(secret, stored), true);
    assert.equal(verifySecretHash(secret, stored.toUpperCase()), true);
    assert.equal(verifySecretHash(secret + 'x', stored), false);
    assert.equal(verifySecretHash(stored, stored), false); // the hash itself is not the secret
  });
  const pairs: Array<[string, string, boolean]> = [
    ['same', 'same', true],
    ['same', 'Same', false],
    ['short', 'longer value', false],
    ['', '', true],
    ['', 'x', false],
  ];
  for (const [a, b, equal] of pairs) {
    it(`constantTimeEqual(${JSON.stringify(a)}, ${JSON.stringify(b)}) = ${equal}`, () => {
      assert.equal(constantTimeEqual(a, b), equal);
    });
  }
});
