import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { validUntilFromLifetime } from './caveats';
import { L402Error } from './errors';
import { parseL402Authorization, readL402Credential, formatL402Authorization } from './header';
import { encodeIdentifier, identifierHash } from './identifier';
import { addFirstPartyCaveat, computeMacaroonSignature, newMacaroon, type Macaroon } from './macaroon';
import { decodeMacaroon, encodeMacaroon } from './macaroon.codec';
import { mintL402, type MintL402Params } from './mint';
import { L402Verifier, type L402VerifierConfig, type PresentedL402, type RootKeyRecord, type VerifiedL402 } from './verifier';
import type { CaveatTarget } from './satisfiers';

interface JsMacaroon {
  addFirstPartyCaveat(caveat: string | Uint8Array): void;
  exportBinary(): Uint8Array;
  verify(rootKey: Uint8Array, check: (condition: string) => string | null): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const js = require('macaroon') as {
  newMacaroon(p: { identifier: Uint8Array; location?: string; rootKey: Uint8Array; version: 2 }): JsMacaroon;
  importMacaroon(data: Uint8Array | string): JsMacaroon;
};

// aperture vector: preimage 00..1f has this payment hash.
const preimage = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
const paymentHash = Buffer.from('630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd', 'hex');
const tokenId = Buffer.from(Array.from({ length: 32 }, (_, i) => 32 - i));
const rootKey = Buffer.alloc(32, 0x42);
const T0 = 1_000; // unix seconds at mint time

/** A root-key store over a Map, answering synchronously (a cache hit) or asynchronously (a DB read). */
function store(records: Map<string, RootKeyRecord>, async = false): L402VerifierConfig['rootKeys'] {
  return {
    getRootKey(idHash) {
      const r = records.get(idHash.toString('hex'));
      return async ? Promise.resolve(r) : r;
    },
  };
}

function setup(over: Partial<MintL402Params> = {}, config: Partial<L402VerifierConfig> = {}) {
  const minted = mintL402({ rootKey, paymentHash, tokenId, service: 'svc', tier: 0, validUntil: T0 + 1000, ...over });
  // The store records the grant the issuer minted for, as the Nest side does.
  const records = new Map<string, RootKeyRecord>([[minted.idHash.toString('hex'), { rootKey, oauthGrant: over.oauthGrant ?? null }]]);
  let now = new Date(T0 * 1000);
  const verifier = new L402Verifier({ rootKeys: store(records), clock: { now: () => now }, ...config });
  return {
    minted,
    records,
    verifier,
    setNow: (seconds: number) => (now = new Date(seconds * 1000)),
    mac: (): Macaroon => decodeMacaroon(minted.macaroon),
  };
}

async function outcome(v: L402Verifier, cred: PresentedL402, target: CaveatTarget = { service: 'svc' }): Promise<VerifiedL402 | string> {
  try {
    return await v.verify(cred, target);
  } catch (err) {
    if (err instanceof L402Error) return err.reason;
    throw err;
  }
}

describe('mintL402', () => {
  it('mints aperture-shaped tokens: identifier, location, caveats in aperture order', () => {
    const { minted } = setup({ capabilities: ['read', 'write'], constraints: { region: 'eu' }, oauthGrant: 'g1', extraCaveats: ['note=x'] });
    assert.deepEqual(minted.identifier, encodeIdentifier({ paymentHash, tokenId }));
    assert.deepEqual(minted.idHash, createHash('sha256').update(minted.identifier).digest());
    const expected = ['services=svc:0', 'svc_capabilities=read,write', 'region=eu', 'svc_valid_until=2000', 'oauth_grant=g1', 'note=x'];
    assert.deepEqual(minted.caveats, expected);
    const mac = decodeMacaroon(minted.macaroon);
    assert.equal(mac.location, 'lsat');
    assert.deepEqual(mac.caveats.map((c) => c.id.toString()), expected);
    assert.equal(minted.macaroonBase64, minted.macaroon.toString('base64'));
  });

  it('omits capabilities and valid_until when the resource has none', () => {
    assert.deepEqual(setup({ validUntil: undefined, capabilities: [] }).minted.caveats, ['services=svc:0']);
  });

  it('a macaroon it mints imports and verifies in js-macaroon with the root key', () => {
    const { minted } = setup({ capabilities: ['read'] });
    const seen: string[] = [];
    js.importMacaroon(minted.macaroonBase64).verify(rootKey, (c) => (seen.push(c), null));
    assert.deepEqual(seen, minted.caveats);
    assert.throws(() => js.importMacaroon(minted.macaroon).verify(Buffer.alloc(32), () => null));
  });

  it('refuses bad arguments', () => {
    assert.throws(() => setup({ rootKey: Buffer.alloc(16) }), RangeError);
    assert.throws(() => setup({ paymentHash: Buffer.alloc(31) }), RangeError);
    assert.throws(() => setup({ service: 'a,b' }), TypeError);
    assert.throws(() => setup({ constraints: { services: 'x:0' } }), TypeError);
    assert.throws(() => setup({ constraints: { svc_valid_until: '1' } }), TypeError);
  });
});

describe('L402Verifier', () => {
  it('verifies a fresh token and describes it', async () => {
    const { verifier, minted } = setup({ capabilities: ['read', 'write'] });
    assert.deepEqual(await verifier.verify({ macaroon: minted.macaroon, preimage }, { service: 'svc', capability: 'read' }), {
      tokenId: tokenId.toString('hex'),
      paymentHash: paymentHash.toString('hex'),
      idHash: minted.idHash.toString('hex'),
      service: 'svc',
      tier: 0,
      capabilities: ['read', 'write'],
      validUntil: 2000,
    });
  });

  it('aperture vector: timeout 1000 s minted at t=1000 is valid at t=1000, refused at t=2001', async () => {
    const { verifier, minted, setNow } = setup({ validUntil: validUntilFromLifetime(new Date(T0 * 1000), 1000) });
    const cred = { macaroon: minted.macaroon, preimage };
    setNow(1000);
    assert.equal(((await outcome(verifier, cred)) as VerifiedL402).validUntil, 2000);
    setNow(2001);
    assert.equal(await outcome(verifier, cred), 'expired');
  });

  it('verifies a token minted by js-macaroon around an aperture identifier', async () => {
    const { verifier, records } = setup();
    const identifier = encodeIdentifier({ paymentHash, tokenId: Buffer.alloc(32, 7) });
    const otherKey = Buffer.alloc(32, 0x77);
    records.set(identifierHash(identifier).toString('hex'), { rootKey: otherKey });
    const theirs = js.newMacaroon({ identifier, location: 'lsat', rootKey: otherKey, version: 2 });
    theirs.addFirstPartyCaveat('services=svc:2');
    const out = await outcome(verifier, { macaroon: theirs.exportBinary(), preimage });
    assert.deepEqual(out, {
      tokenId: '07'.repeat(32),
      paymentHash: paymentHash.toString('hex'),
      idHash: identifierHash(identifier).toString('hex'),
      service: 'svc',
      tier: 2,
      capabilities: [],
    });
  });

  it('answers synchronously on a synchronous store hit, asynchronously otherwise', async () => {
    const { verifier, minted, records } = setup();
    const sync = verifier.verifyMaybeSync({ macaroon: minted.macaroon, preimage }, { service: 'svc' });
    assert.equal(sync instanceof Promise, false);
    assert.equal((sync as VerifiedL402).service, 'svc');
    const asyncVerifier = new L402Verifier({ rootKeys: store(records, true), clock: { now: () => new Date(T0 * 1000) } });
    const pending = asyncVerifier.verifyMaybeSync({ macaroon: minted.macaroon, preimage }, { service: 'svc' });
    assert.equal(pending instanceof Promise, true);
    assert.equal((await pending).tokenId, tokenId.toString('hex'));
    assert.equal(await outcome(asyncVerifier, { macaroon: minted.macaroon, preimage: Buffer.alloc(32) }), 'bad_preimage');
  });

  it('passes store failures through (an outage, not a refusal)', async () => {
    const { minted } = setup();
    const failing = new L402Verifier({
      rootKeys: { getRootKey: () => Promise.reject(new Error('db down')) },
      clock: { now: () => new Date(T0 * 1000) },
    });
    await assert.rejects(failing.verify({ macaroon: minted.macaroon, preimage }, { service: 'svc' }), /db down/);
  });

  it('refuses a bad constraint configuration at construction', () => {
    assert.throws(() => setup({}, { constraints: { services: () => undefined } }), TypeError);
  });

  // Each row: how to alter the credential / store / target, and the reason the 402 must carry.
  const attenuate = (mac: Macaroon, ...caveats: string[]): Macaroon => caveats.reduce(addFirstPartyCaveat, mac);
  type Env = ReturnType<typeof setup>;
  const rows: [string, (e: Env) => PresentedL402, string, Partial<CaveatTarget>?, Partial<MintL402Params>?, Partial<L402VerifierConfig>?][] = [
    ['garbage macaroon bytes', () => ({ macaroon: Buffer.from('nope'), preimage }), 'malformed'],
    ['31-byte preimage', (e) => ({ macaroon: e.minted.macaroon, preimage: preimage.subarray(1) }), 'malformed'],
    ['identifier version 1', () => {
      const id = Buffer.concat([Buffer.from([0, 1]), paymentHash, tokenId]);
      return { macaroon: newMacaroon({ rootKey, identifier: id }), preimage };
    }, 'malformed'],
    ['identifier of 67 bytes', () => {
      const id = Buffer.concat([encodeIdentifier({ paymentHash, tokenId }), Buffer.from([0])]);
      return { macaroon: newMacaroon({ rootKey, identifier: id }), preimage };
    }, 'malformed'],
    ['wrong preimage', (e) => ({ macaroon: e.minted.macaroon, preimage: Buffer.alloc(32, 9) }), 'bad_preimage'],
    ['root key unknown', (e) => (e.records.clear(), { macaroon: e.minted.macaroon, preimage }), 'unknown_token'],
    ['root key revoked', (e) => {
      e.records.set(e.minted.idHash.toString('hex'), { rootKey, revokedAt: new Date(0) });
      return { macaroon: e.minted.macaroon, preimage };
    }, 'revoked'],
    ['root key swapped', (e) => {
      e.records.set(e.minted.idHash.toString('hex'), { rootKey: Buffer.alloc(32, 1) });
      return { macaroon: e.minted.macaroon, preimage };
    }, 'bad_signature'],
    ['tampered caveat (valid_until pushed out)', (e) => {
      const mac = e.mac();
      const caveats = mac.caveats.map((c) => (c.id.toString().startsWith('svc_valid_until=') ? { id: Buffer.from('svc_valid_until=9999') } : c));
      return { macaroon: { ...mac, caveats }, preimage };
    }, 'bad_signature'],
    ['caveat removed', (e) => ({ macaroon: { ...e.mac(), caveats: e.mac().caveats.slice(0, 1) }, preimage }), 'bad_signature'],
    ['tampered bytes in transit', (e) => {
      const bytes = Buffer.from(e.minted.macaroon);
      bytes[bytes.indexOf('svc:0') + 4] = '1'.charCodeAt(0);
      return { macaroon: bytes, preimage };
    }, 'bad_signature'],
    ['other service', (e) => ({ macaroon: e.minted.macaroon, preimage }), 'wrong_service', { service: 'other' }],
    ['client swapped services for another', (e) => ({ macaroon: attenuate(e.mac(), 'services=x:0'), preimage }), 'caveat_failed'],
    ['expired', (e) => (e.setNow(T0 + 1000), { macaroon: e.minted.macaroon, preimage }), 'expired'],
    ['client-added unknown caveat', (e) => ({ macaroon: attenuate(e.mac(), 'colour=blue'), preimage }), 'unknown_caveat'],
    ['client-added text without =', (e) => ({ macaroon: attenuate(e.mac(), 'just text'), preimage }), 'unknown_caveat'],
    ['client-added non-UTF-8 caveat', (e) => ({ macaroon: addFirstPartyCaveat(e.mac(), Buffer.from([0xff, 0x3d])), preimage }), 'unknown_caveat'],
    ['third-party caveat', (e) => {
      const mac = e.mac();
      // Signed like a real third-party caveat, so only the caveat rule can refuse it.
      const withTp = { ...mac, caveats: [...mac.caveats, { id: Buffer.from('tp'), verificationId: Buffer.alloc(72, 1), location: 'x' }] };
      return { macaroon: { ...withTp, signature: computeMacaroonSignature(withTp, rootKey) }, preimage };
    }, 'unknown_caveat'],
    ['oauth_grant when not configured', (e) => ({ macaroon: e.minted.macaroon, preimage }), 'unknown_caveat', {}, { oauthGrant: 'g1' }],
    ['client-added oauth_grant on a token minted without one', (e) => ({ macaroon: attenuate(e.mac(), 'oauth_grant=victim'), preimage }), 'caveat_failed', {}, {}, { acceptOAuthGrant: true }],
    ['client-added oauth_grant naming another grant', (e) => ({ macaroon: attenuate(e.mac(), 'oauth_grant=victim'), preimage }), 'caveat_failed', {}, { oauthGrant: 'g1' }, { acceptOAuthGrant: true }],
    ['oauth_grant caveat the stored record does not back', (e) => {
      e.records.set(e.minted.idHash.toString('hex'), { rootKey, oauthGrant: null });
      return { macaroon: e.minted.macaroon, preimage };
    }, 'caveat_failed', {}, { oauthGrant: 'g1' }, { acceptOAuthGrant: true }],
    ['client-added wider valid_until', (e) => ({ macaroon: attenuate(e.mac(), 'svc_valid_until=5000'), preimage }), 'caveat_failed'],
    ['missing capability', (e) => ({ macaroon: e.minted.macaroon, preimage }), 'caveat_failed', { capability: 'admin' }, { capabilities: ['read'] }],
    ['client dropped a capability the route needs', (e) => ({ macaroon: attenuate(e.mac(), 'svc_capabilities=read'), preimage }), 'caveat_failed', { capability: 'write' }, { capabilities: ['read', 'write'] }],
    ['configured constraint fails', (e) => ({ macaroon: e.minted.macaroon, preimage }), 'caveat_failed', {}, { constraints: { region: 'us' } }, { constraints: { region: (v) => (v === 'eu' ? undefined : 'region') } }],
    ['configured constraint not configured here', (e) => ({ macaroon: e.minted.macaroon, preimage }), 'unknown_caveat', {}, { constraints: { region: 'eu' } }],
  ];
  for (const [name, present, reason, target, mint, config] of rows) {
    it(`${name} -> ${reason}`, async () => {
      const e = setup(mint, config);
      const cred = present(e);
      assert.equal(await outcome(e.verifier, cred, { service: 'svc', ...target }), reason);
    });
  }

  const accepted: [string, (e: Env) => PresentedL402, Partial<VerifiedL402>, Partial<CaveatTarget>?, Partial<MintL402Params>?, Partial<L402VerifierConfig>?][] = [
    ['client-added narrower valid_until', (e) => ({ macaroon: attenuate(e.mac(), 'svc_valid_until=1500'), preimage }), { validUntil: 1500 }],
    ['client-added narrower capabilities', (e) => ({ macaroon: attenuate(e.mac(), 'svc_capabilities=read'), preimage }), { capabilities: ['read'] }, { capability: 'read' }, { capabilities: ['read', 'write'] }],
    ['bound to an OAuth grant', (e) => ({ macaroon: e.minted.macaroon, preimage }), { oauthGrant: 'g1' }, {}, { oauthGrant: 'g1' }, { acceptOAuthGrant: true }],
    ['a repeated oauth_grant equal to the stored one', (e) => ({ macaroon: attenuate(e.mac(), 'oauth_grant=g1'), preimage }), { oauthGrant: 'g1' }, {}, { oauthGrant: 'g1' }, { acceptOAuthGrant: true }],
    ['an unbound token: no grant', (e) => ({ macaroon: e.minted.macaroon, preimage }), { oauthGrant: undefined }, {}, {}, { acceptOAuthGrant: true }],
    ['configured constraint holds', (e) => ({ macaroon: e.minted.macaroon, preimage }), { tier: 0 }, {}, { constraints: { region: 'eu' } }, { constraints: { region: (v) => (v === 'eu' ? undefined : 'region') } }],
    ['multi-service token used for its second service', (e) => {
      // Same identifier and root key as the minted token; svc's valid_until is known but does not govern b.
      const mac = newMacaroon({ rootKey, identifier: e.minted.identifier });
      return { macaroon: attenuate(mac, 'services=svc:0,b:1', 'svc_valid_until=1', 'b_valid_until=1500'), preimage };
    }, { service: 'b', tier: 1, validUntil: 1500 }, { service: 'b' }],
  ];
  for (const [name, present, expected, target, mint, config] of accepted) {
    it(`accepts ${name}`, async () => {
      const e = setup(mint, config);
      const out = await outcome(e.verifier, present(e), { service: 'svc', ...target });
      assert.notEqual(typeof out, 'string', `refused: ${String(out)}`);
      for (const [k, v] of Object.entries(expected)) assert.deepEqual((out as unknown as Record<string, unknown>)[k], v, k);
    });
  }
});

describe('header + verifier end to end', () => {
  it('Authorization: LSAT with URL-safe unpadded base64 verifies', async () => {
    const { verifier, minted } = setup();
    const b64 = minted.macaroonBase64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const cred = parseL402Authorization(`lsat ${b64}:${preimage.toString('hex').toUpperCase()}`);
    assert.ok(cred);
    assert.equal(((await outcome(verifier, cred)) as VerifiedL402).tokenId, tokenId.toString('hex'));
  });

  it('aperture gRPC form: the client-added preimage caveat is known and must match', async () => {
    const { verifier, mac } = setup();
    const hex = encodeMacaroon(addFirstPartyCaveat(mac(), `preimage=${preimage.toString('hex')}`)).toString('hex');
    const cred = readL402Credential({ 'grpc-metadata-macaroon': hex });
    assert.ok(cred);
    assert.equal(((await outcome(verifier, cred)) as VerifiedL402).service, 'svc');
    const wrong = encodeMacaroon(addFirstPartyCaveat(mac(), `preimage=${'ab'.repeat(32)}`)).toString('hex');
    assert.equal(await outcome(verifier, readL402Credential({ macaroon: wrong })!), 'bad_preimage');
  });

  it('a preimage caveat contradicting the Authorization preimage is refused', async () => {
    const { verifier, mac } = setup();
    const withCaveat = addFirstPartyCaveat(mac(), `preimage=${'ab'.repeat(32)}`);
    const cred = parseL402Authorization(formatL402Authorization(withCaveat, preimage));
    assert.equal(await outcome(verifier, cred!), 'caveat_failed');
  });
});
