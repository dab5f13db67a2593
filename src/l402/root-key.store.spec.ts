import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { InvalidationBus } from '../database/invalidation.bus';
import { ROOT_KEY_TOPIC } from './l402.constants';
import type { RootKeyRepository } from './root-key.repository';
import { CachedRootKeyStore } from './root-key.store';

type Row = { rootKey: Buffer | null; revokedAt: Date | null; oauthGrant?: string | null };

/** A repository double counting lookups, whose answers the test can hold back. */
function fakeRepo(rows: Map<string, Row>) {
  let lookups = 0;
  let gate: Promise<void> | undefined;
  const repo = {
    async findKey(idHash: string) {
      lookups += 1;
      await gate;
      return rows.get(idHash) ?? null;
    },
  } as unknown as RootKeyRepository;
  return { repo, lookups: () => lookups, hold: (p: Promise<void>) => void (gate = p) };
}

/** An in-process bus: publish delivers to the subscribers, like InvalidationBus does locally. */
function fakeBus() {
  const handlers = new Map<string, Array<(key: string) => void>>();
  return {
    subscribe: (topic: string, h: (key: string) => void) => handlers.set(topic, [...(handlers.get(topic) ?? []), h]),
    publish: async (topic: string, key: string) => handlers.get(topic)?.forEach((h) => h(key)),
  } as unknown as InvalidationBus;
}

const id = (n: number) => Buffer.alloc(32, n);
const hex = (n: number) => id(n).toString('hex');

describe('CachedRootKeyStore', () => {
  it('looks a key up once, then answers synchronously from memory', async () => {
    const key = Buffer.alloc(32, 7);
    const db = fakeRepo(new Map([[hex(1), { rootKey: key, revokedAt: null }]]));
    const store = new CachedRootKeyStore(db.repo, fakeBus());
    store.onModuleInit();
    const first = store.getRootKey(id(1));
    assert.ok(first instanceof Promise);
    assert.deepEqual(await first, { rootKey: key, revokedAt: null, oauthGrant: null });
    const second = store.getRootKey(id(1));
    assert.ok(!(second instanceof Promise), 'a cache hit is synchronous');
    assert.deepEqual(second, { rootKey: key, revokedAt: null, oauthGrant: null });
    assert.equal(db.lookups(), 1);
  });

  it('the record carries the OAuth grant stored at minting (the verifier trusts no caveat for it)', async () => {
    const key = Buffer.alloc(32, 9);
    const db = fakeRepo(new Map([[hex(5), { rootKey: key, revokedAt: null, oauthGrant: 'grant-5' }]]));
    const store = new CachedRootKeyStore(db.repo, fakeBus());
    assert.deepEqual(await store.getRootKey(id(5)), { rootKey: key, revokedAt: null, oauthGrant: 'grant-5' });
    assert.equal((store.getRootKey(id(5)) as { oauthGrant?: string | null }).oauthGrant, 'grant-5', 'also from the cache');
  });

  it('does not cache unknown tokens (a key inserted later must be found)', async () => {
    const rows = new Map<string, Row>();
    const db = fakeRepo(rows);
    const store = new CachedRootKeyStore(db.repo, fakeBus());
    assert.equal(await store.getRootKey(id(2)), undefined);
    rows.set(hex(2), { rootKey: Buffer.alloc(32, 1), revokedAt: null });
    assert.equal((await store.getRootKey(id(2)))?.revokedAt, null);
  });

  it('an invalidation drops the entry, and the next lookup sees the revocation', async () => {
    const rows = new Map<string, Row>([[hex(3), { rootKey: Buffer.alloc(32, 1), revokedAt: null }]]);
    const db = fakeRepo(rows);
    const bus = fakeBus();
    const store = new CachedRootKeyStore(db.repo, bus);
    store.onModuleInit();
    await store.getRootKey(id(3));
    const at = new Date('2026-01-01T00:00:00Z');
    rows.set(hex(3), { rootKey: null, revokedAt: at });
    await bus.publish(ROOT_KEY_TOPIC, hex(3));
    const after = await store.getRootKey(id(3));
    assert.equal(after?.revokedAt, at);
    assert.equal(after?.rootKey.length, 0, 'a revoked record carries no key');
  });

  it('a lookup in flight when an invalidation arrives is answered but not cached (it may predate the change)', async () => {
    const rows = new Map<string, Row>([[hex(4), { rootKey: Buffer.alloc(32, 1), revokedAt: null }]]);
    const db = fakeRepo(rows);
    const store = new CachedRootKeyStore(db.repo, fakeBus());
    store.onModuleInit();
    let release!: () => void;
    db.hold(new Promise<void>((r) => (release = r)));
    const inFlight = store.getRootKey(id(4));
    store.forget(hex(4));
    release();
    await inFlight;
    assert.equal(store.size, 0);
    assert.ok(store.getRootKey(id(4)) instanceof Promise, 'looked up again');
  });
});
