import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { VerifiedL402 } from '../core/l402';
import { VerifiedCredentialCache } from './verified-credential.cache';

function token(idHash: string, validUntil?: number): VerifiedL402 {
  return { tokenId: 't'.repeat(64), paymentHash: 'p'.repeat(64), idHash, service: 'demo', tier: 0, capabilities: [], validUntil };
}

const at = (unixSeconds: number): Date => new Date(unixSeconds * 1000);

describe('VerifiedCredentialCache', () => {
  it('answers a hit only while now < valid_until, the verifier rule', () => {
    const cache = new VerifiedCredentialCache();
    const key = VerifiedCredentialCache.keyOf('authorization', 'mac:pre', { service: 'demo' });
    cache.put(key, token('a', 2000), cache.epoch());
    assert.equal(cache.get(key, at(1999))?.idHash, 'a');
    assert.equal(cache.get(key, at(2000)), undefined, 'at valid_until the token is expired');
    assert.equal(cache.size, 0, 'the expired entry is dropped so the verifier reports the reason');
  });

  it('keeps the target in the key: a token checked for one service is not a hit for another', () => {
    const cache = new VerifiedCredentialCache();
    cache.put(VerifiedCredentialCache.keyOf('authorization', 'mac:pre', { service: 'demo' }), token('a'), cache.epoch());
    assert.equal(cache.get(VerifiedCredentialCache.keyOf('authorization', 'mac:pre', { service: 'other' }), at(1)), undefined);
    assert.equal(cache.get(VerifiedCredentialCache.keyOf('authorization', 'mac:pre', { service: 'demo', capability: 'write' }), at(1)), undefined);
    assert.equal(cache.get(VerifiedCredentialCache.keyOf('authorization', 'mac:pre', { service: 'demo', tier: 1 }), at(1)), undefined, 'verified for tier 0 says nothing of tier 1');
  });

  it('forgets every cached credential of a revoked token, and nothing else', () => {
    const cache = new VerifiedCredentialCache();
    const l402 = VerifiedCredentialCache.keyOf('authorization', 'mac:pre', { service: 'demo' });
    const grpc = VerifiedCredentialCache.keyOf('macaroon-header', 'hex', { service: 'demo' });
    const other = VerifiedCredentialCache.keyOf('authorization', 'mac2:pre2', { service: 'demo' });
    cache.put(l402, token('a'), cache.epoch());
    cache.put(grpc, token('a'), cache.epoch());
    cache.put(other, token('b'), cache.epoch());
    cache.forgetToken('a');
    assert.equal(cache.get(l402, at(1)), undefined);
    assert.equal(cache.get(grpc, at(1)), undefined);
    assert.equal(cache.get(other, at(1))?.idHash, 'b');
  });

  it('does not cache a verification that was in flight when a revocation arrived', () => {
    const cache = new VerifiedCredentialCache();
    const key = VerifiedCredentialCache.keyOf('authorization', 'mac:pre', { service: 'demo' });
    const startedAt = cache.epoch();
    cache.forgetToken('a');
    cache.put(key, token('a'), startedAt);
    assert.equal(cache.get(key, at(1)), undefined);
  });

  it('stays bounded, evicting the oldest entry', () => {
    const cache = new VerifiedCredentialCache(2);
    for (const n of [1, 2, 3]) cache.put(`k${n}`, token(`id${n}`), cache.epoch());
    assert.equal(cache.size, 2);
    assert.equal(cache.get('k1', at(1)), undefined);
    assert.equal(cache.get('k3', at(1))?.idHash, 'id3');
  });
});
