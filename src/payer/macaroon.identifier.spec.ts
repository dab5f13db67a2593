import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { identifierOfMacaroon } from './macaroon.identifier';
import { MalformedChallengeError } from './client.errors';
import { l402Identifier, mintMacaroon } from './l402.spec-support';

// docs/protocol.md vector: payment hash bytes 1..32, token id bytes 32..1.
const HASH = Buffer.from(Array.from({ length: 32 }, (_, i) => i + 1)).toString('hex');
const TOKEN_ID = Buffer.from(Array.from({ length: 32 }, (_, i) => 32 - i));

describe('identifierOfMacaroon', () => {
  it('reads version, payment hash and token id from an aperture-style V2 macaroon', () => {
    const id = l402Identifier(HASH, TOKEN_ID);
    assert.equal(id.length, 66);
    assert.equal(id.subarray(0, 2).toString('hex'), '0000');
    const { macaroon } = mintMacaroon(id, { caveats: ['services=test:0', 'test_valid_until=1700000000'] });
    assert.deepEqual(identifierOfMacaroon(macaroon), {
      version: 0,
      paymentHash: Buffer.from(HASH, 'hex'),
      tokenId: TOKEN_ID,
    });
  });

  it('accepts URL-safe, unpadded base64', () => {
    const { macaroon } = mintMacaroon(l402Identifier(HASH, TOKEN_ID));
    const urlSafe = macaroon.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    assert.equal(identifierOfMacaroon(urlSafe).paymentHash.toString('hex'), HASH);
  });

  it('reads V2 macaroons without a location and V1 binary macaroons', () => {
    const noLocation = mintMacaroon(l402Identifier(HASH, TOKEN_ID), { location: '' });
    assert.equal(identifierOfMacaroon(noLocation.macaroon).paymentHash.toString('hex'), HASH);
    // libmacaroons V1: packets of 4 hex digits of length (header and newline included), `key value\n`.
    const packet = (key: string, value: Buffer) => {
      const body = Buffer.concat([Buffer.from(`${key} `), value, Buffer.from('\n')]);
      return Buffer.concat([Buffer.from((body.length + 4).toString(16).padStart(4, '0')), body]);
    };
    const v1 = Buffer.concat([
      packet('location', Buffer.from('lsat')),
      packet('identifier', l402Identifier(HASH, TOKEN_ID)),
      packet('signature', Buffer.alloc(32, 7)),
    ]);
    assert.equal(identifierOfMacaroon(v1.toString('base64')).tokenId.toString('hex'), TOKEN_ID.toString('hex'));
  });

  const refusals: [string, () => string, RegExp][] = [
    ['an unknown identifier version', () => mintMacaroon(l402Identifier(HASH, TOKEN_ID, 1)).macaroon, /unknown L402 identifier version 1/],
    ['a short identifier', () => mintMacaroon(Buffer.from('0000abcd', 'hex')).macaroon, /must be 66 bytes, got 4/],
    ['text that is not base64', () => 'not base64!', /not base64/],
    ['a truncated macaroon', () => mintMacaroon(l402Identifier(HASH)).macaroon.slice(0, 20), /truncated/],
    ['an empty macaroon', () => '', /empty/],
  ];
  for (const [name, make, message] of refusals) {
    it(`refuses ${name}`, () => {
      assert.throws(() => identifierOfMacaroon(make()), (err: unknown) => {
        assert.ok(err instanceof MalformedChallengeError);
        assert.match(err.message, message);
        return true;
      });
    });
  }
});
