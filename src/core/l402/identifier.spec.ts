import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { L402Error } from './errors';
import { decodeIdentifier, encodeIdentifier, identifierHash, IDENTIFIER_SIZE, randomTokenId } from './identifier';

const bytes = (from: number, to: number): Buffer => {
  const out: number[] = [];
  for (let b = from; from <= to ? b <= to : b >= to; b += from <= to ? 1 : -1) out.push(b);
  return Buffer.from(out);
};

describe('identifier', () => {
  it('aperture vector: payment hash 1..32, token id 32..1 encodes to 66 bytes starting 0000', () => {
    const paymentHash = bytes(1, 32);
    const tokenId = bytes(32, 1);
    const id = encodeIdentifier({ paymentHash, tokenId });
    assert.equal(id.length, 66);
    assert.equal(id.subarray(0, 2).toString('hex'), '0000');
    assert.equal(id.toString('hex'), '0000' + paymentHash.toString('hex') + tokenId.toString('hex'));
    const decoded = decodeIdentifier(id);
    assert.equal(decoded.version, 0);
    assert.deepEqual(decoded.paymentHash, paymentHash);
    assert.deepEqual(decoded.tokenId, tokenId);
  });

  it('aperture vector: preimage 00..1f hashes to the known payment hash', () => {
    const preimage = bytes(0, 31);
    assert.equal(
      createHash('sha256').update(preimage).digest('hex'),
      '630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd',
    );
  });

  const rejections: [string, Buffer, RegExp][] = [
    ['empty', Buffer.alloc(0), /too short/],
    ['one byte', Buffer.from([0]), /too short/],
    ['unknown version 1', Buffer.concat([Buffer.from([0, 1]), Buffer.alloc(64)]), /unknown L402 identifier version 1/],
    ['unknown version 0x0100', Buffer.concat([Buffer.from([1, 0]), Buffer.alloc(64)]), /version 256/],
    ['65 bytes', Buffer.alloc(65), /must be 66 bytes, got 65/],
    ['67 bytes', Buffer.alloc(67), /must be 66 bytes, got 67/],
  ];
  for (const [name, input, message] of rejections) {
    it(`rejects ${name} as malformed`, () => {
      assert.throws(
        () => decodeIdentifier(input),
        (err: unknown) => err instanceof L402Error && err.reason === 'malformed' && message.test(err.message),
      );
    });
  }

  it('refuses to encode wrong sizes or versions', () => {
    assert.throws(() => encodeIdentifier({ paymentHash: Buffer.alloc(31), tokenId: Buffer.alloc(32) }), RangeError);
    assert.throws(() => encodeIdentifier({ paymentHash: Buffer.alloc(32), tokenId: Buffer.alloc(33) }), RangeError);
    assert.throws(() => encodeIdentifier({ paymentHash: Buffer.alloc(32), tokenId: Buffer.alloc(32), version: 1 }), RangeError);
  });

  it('idHash is sha256 of the whole identifier; token ids are 32 random bytes', () => {
    const id = encodeIdentifier({ paymentHash: Buffer.alloc(32, 1), tokenId: Buffer.alloc(32, 2) });
    assert.equal(identifierHash(id).toString('hex'), createHash('sha256').update(id).digest('hex'));
    assert.equal(IDENTIFIER_SIZE, 66);
    const a = randomTokenId();
    assert.equal(a.length, 32);
    assert.notDeepEqual(a, randomTokenId());
  });
});
