import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OAuthPrincipal } from '../access/principal';
import { INVALID, TokenCache } from './token.cache';

const T0 = 1_700_000_000_000;

function principal(over: Partial<OAuthPrincipal> = {}): OAuthPrincipal {
  return { tokenId: 't1', grantId: 'g1', clientId: 'c1', scopes: ['balance:read'], expiresAt: new Date(T0 + 60_000), ...over };
}

function cache(maxEntries = 100, maxAgeMs = 10_000): TokenCache {
  return new TokenCache({ maxEntries, maxAgeMs });
}

test('a stored token is answered until it expires, then known invalid', () => {
  const c = cache(100, 120_000);
  c.put('h1', principal(), T0, c.epoch());
  assert.deepEqual(c.get('h1', T0 + 59_999), principal());
  assert.equal(c.get('h1', T0 + 60_000), INVALID);
  assert.equal(c.size, 0);
});

test('entries go stale after maxAge so the database is asked again', () => {
  const c = cache(100, 10_000);
  c.put('h1', principal(), T0, c.epoch());
  assert.ok(c.get('h1', T0 + 9_999));
  assert.equal(c.get('h1', T0 + 10_000), undefined);
  c.putInvalid('bad', T0, c.epoch());
  assert.equal(c.get('bad', T0 + 1), INVALID);
  assert.equal(c.get('bad', T0 + 10_000), undefined);
});

test('drops by grant, client and token id remove exactly the matching entries', () => {
  const c = cache();
  c.put('a', principal({ tokenId: 'ta', grantId: 'g1', clientId: 'c1' }), T0, c.epoch());
  c.put('b', principal({ tokenId: 'tb', grantId: 'g1', clientId: 'c1' }), T0, c.epoch());
  c.put('c', principal({ tokenId: 'tc', grantId: 'g2', clientId: 'c1' }), T0, c.epoch());
  c.put('d', principal({ tokenId: 'td', grantId: 'g3', clientId: 'c2' }), T0, c.epoch());
  c.dropGrant('g1');
  assert.equal(c.get('a', T0), undefined);
  assert.equal(c.get('b', T0), undefined);
  assert.ok(c.get('c', T0));
  c.dropToken('tc');
  assert.equal(c.get('c', T0), undefined);
  assert.ok(c.get('d', T0));
  c.dropClient('c2');
  assert.equal(c.get('d', T0), undefined);
  assert.equal(c.size, 0);
});

test('a lookup that raced with a revocation is not stored', () => {
  const c = cache();
  const epoch = c.epoch();
  c.dropGrant('unrelated-or-not');
  c.put('h1', principal(), T0, epoch);
  c.putInvalid('h2', T0, epoch);
  c.putGrant('g1', { live: true, principal: principal() }, T0, epoch);
  assert.equal(c.get('h1', T0), undefined);
  assert.equal(c.get('h2', T0), undefined);
  assert.equal(c.getGrant('g1', T0), undefined);
});

test('the cache is bounded: the least recently used entry goes first', () => {
  const c = cache(2);
  c.put('a', principal({ tokenId: 'ta' }), T0, c.epoch());
  c.put('b', principal({ tokenId: 'tb' }), T0, c.epoch());
  assert.ok(c.get('a', T0), 'touch a');
  c.put('c', principal({ tokenId: 'tc' }), T0, c.epoch());
  assert.equal(c.size, 2);
  assert.equal(c.get('b', T0), undefined, 'b was least recently used');
  assert.ok(c.get('a', T0));
  assert.ok(c.get('c', T0));
});

test('grant statuses: live until the grant expires, dropped with the grant or its client', () => {
  const c = cache(100, 120_000);
  c.putGrant('g1', { live: true, principal: principal() }, T0, c.epoch());
  c.putGrant('g2', { live: true, principal: principal({ grantId: 'g2', clientId: 'c2' }) }, T0, c.epoch());
  c.putGrant('g3', { live: false }, T0, c.epoch());
  assert.equal(c.getGrant('g1', T0)?.live, true);
  assert.deepEqual(c.getGrant('g1', T0 + 60_000), { live: false });
  assert.deepEqual(c.getGrant('g3', T0), { live: false });
  c.dropClient('c2');
  assert.equal(c.getGrant('g2', T0), undefined);
});

test('while revocations cannot arrive, an entry confirmed too long ago is not answered but kept as a fallback', async () => {
  const c = cache(100, 120_000);
  c.put('h1', principal(), T0, c.epoch());
  c.putGrant('g1', { live: true, principal: principal() }, T0, c.epoch());
  assert.deepEqual(c.get('h1', T0, { recheckAfterMs: 60_000 }), principal(), 'confirmed just now');
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(c.get('h1', T0, { recheckAfterMs: 1 }), undefined, 'must be re-checked');
  assert.equal(c.getGrant('g1', T0, { recheckAfterMs: 1 }), undefined, 'grant must be re-checked');
  assert.deepEqual(c.get('h1', T0), principal(), 'with the listener up it is answered again');
  assert.deepEqual(c.fallback('h1', T0 + 59_999), principal(), 'known good while the database is down');
  assert.equal(c.fallbackGrant('g1', T0)?.live, true);
});

test('the outage fallback serves a stale entry until the token expires, never after', () => {
  const c = cache(100, 10_000);
  c.put('h1', principal(), T0, c.epoch());
  assert.equal(c.get('h1', T0 + 10_000), undefined, 'stale: the database is asked');
  assert.deepEqual(c.fallback('h1', T0 + 30_000), principal(), 'database down: still known good');
  assert.equal(c.fallback('h1', T0 + 60_000), undefined, 'expired');
  c.dropGrant('g1');
  assert.equal(c.fallback('h1', T0 + 30_000), undefined, 'a revocation heard drops the fallback too');
});
