import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeBase64Loose, encodeBase64 } from './base64';
import { L402Error } from './errors';
import {
  addFirstPartyCaveat,
  computeMacaroonSignature,
  deriveMacaroonKey,
  newMacaroon,
  newRootKey,
  verifyMacaroonSignature,
  type Macaroon,
} from './macaroon';
import { decodeMacaroon, encodeMacaroon, macaroonFromBase64, macaroonToBase64 } from './macaroon.codec';

/** The slice of the npm `macaroon` package (js-macaroon, go-macaroon's sibling) these tests use. */
interface JsMacaroon {
  addFirstPartyCaveat(caveat: string | Uint8Array): void;
  addThirdPartyCaveat(rootKey: Uint8Array, caveatId: string | Uint8Array, location?: string): void;
  exportBinary(): Uint8Array;
  exportJSON(): unknown;
  verify(rootKey: Uint8Array, check: (condition: string) => string | null): void;
  readonly signature: Uint8Array;
  readonly identifier: Uint8Array;
  readonly location: string;
  readonly caveats: { identifier: Uint8Array }[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const js = require('macaroon') as {
  newMacaroon(p: { identifier: Uint8Array | string; location?: string; rootKey: Uint8Array; version: 2 }): JsMacaroon;
  importMacaroon(data: Uint8Array | string): JsMacaroon;
};

const rootKey = Buffer.alloc(32, 0x5a);
const identifier = Buffer.concat([Buffer.from([0, 0]), Buffer.alloc(32, 1), Buffer.alloc(32, 2)]);

function mint(location: string | undefined, caveats: string[]): { ours: Macaroon; theirs: JsMacaroon } {
  let ours = newMacaroon({ rootKey, identifier, location: location ?? '' });
  const theirs = js.newMacaroon({ identifier, location, rootKey, version: 2 });
  for (const c of caveats) {
    ours = addFirstPartyCaveat(ours, c);
    theirs.addFirstPartyCaveat(c);
  }
  return { ours, theirs };
}

// js-macaroon 3.0.4's ByteBuffer doubles its buffer on *every* append (`_grow` compares against an unset
// `_capacity`), so exportBinary allocates 200 * 2^appends bytes: ~4 appends per caveat. Byte-equality
// cases therefore stay at <= 2 caveats; bigger macaroons are compared through import instead.
const cases: [string, string | undefined, string[]][] = [
  ['no location, no caveats', undefined, []],
  ['aperture location, services caveat', 'lsat', ['services=svc:0']],
  ['no location, two caveats', undefined, ['services=svc:0', 'svc_valid_until=2000']],
  ['caveat longer than 127 bytes (2-byte varint)', 'lsat', ['region=' + 'x'.repeat(300)]],
  ['unicode location and caveat', 'häus', ['note=ünï']],
];

describe('macaroon V2 binary vs js-macaroon', () => {
  for (const [name, location, caveats] of cases) {
    it(`${name}: byte-identical encoding, both directions import and verify`, () => {
      const { ours, theirs } = mint(location, caveats);
      const ourBytes = encodeMacaroon(ours);
      assert.deepEqual(ourBytes, Buffer.from(theirs.exportBinary()));
      // js-macaroon imports our bytes and verifies them with the root key.
      const imported = js.importMacaroon(ourBytes);
      const seen: string[] = [];
      imported.verify(rootKey, (c) => (seen.push(c), null));
      assert.deepEqual(seen, caveats);
      // We decode js-macaroon's bytes and our signature check accepts them.
      const decoded = decodeMacaroon(theirs.exportBinary());
      assert.equal(decoded.location, location ?? '');
      assert.deepEqual(decoded.identifier, identifier);
      assert.deepEqual(decoded.caveats.map((c) => c.id.toString('utf8')), caveats);
      verifyMacaroonSignature(decoded, rootKey);
      assert.deepEqual(encodeMacaroon(decoded), ourBytes);
    });
  }

  it('a full aperture caveat set: js-macaroon imports our bytes into the same macaroon it mints', () => {
    const caveats = ['services=svc:0', 'svc_capabilities=a,b', 'region=eu', 'svc_valid_until=2000'];
    const { ours, theirs } = mint('lsat', caveats);
    const imported = js.importMacaroon(encodeMacaroon(ours));
    assert.deepEqual(Buffer.from(imported.signature), Buffer.from(theirs.signature));
    assert.deepEqual(Buffer.from(imported.identifier), identifier);
    assert.equal(imported.location, 'lsat');
    assert.deepEqual(imported.caveats.map((c) => Buffer.from(c.identifier).toString()), caveats);
    imported.verify(rootKey, () => null);
  });

  it('uses the "macaroons-key-generator" derivation like js-macaroon', () => {
    const { ours, theirs } = mint('lsat', []);
    assert.deepEqual(ours.signature, Buffer.from(theirs.signature));
    assert.equal(deriveMacaroonKey(rootKey).length, 32);
  });

  it('chains and encodes third-party caveats the way js-macaroon does', () => {
    const theirs = js.newMacaroon({ identifier, location: 'lsat', rootKey, version: 2 });
    theirs.addFirstPartyCaveat('services=svc:0');
    theirs.addThirdPartyCaveat(Buffer.alloc(32, 9), 'third-party-id', 'https://auth.example');
    const json = theirs.exportJSON() as { c: { i: string; v64: string; l?: string }[] };
    const vid = Buffer.from(json.c[1].v64, 'base64');
    const ours: Macaroon = {
      location: 'lsat',
      identifier,
      caveats: [{ id: Buffer.from('services=svc:0') }, { id: Buffer.from('third-party-id'), verificationId: vid, location: 'https://auth.example' }],
      signature: Buffer.from(theirs.signature),
    };
    assert.deepEqual(computeMacaroonSignature(ours, rootKey), Buffer.from(theirs.signature));
    const roundTripped = decodeMacaroon(encodeMacaroon(ours));
    assert.deepEqual(roundTripped, ours);
    assert.deepEqual(js.importMacaroon(encodeMacaroon(ours)).exportJSON(), theirs.exportJSON());
  });

  it('refuses a wrong root key or a changed caveat with bad_signature', () => {
    const { ours } = mint('lsat', ['services=svc:0']);
    assert.throws(() => verifyMacaroonSignature(ours, Buffer.alloc(32, 1)), (e: unknown) => e instanceof L402Error && e.reason === 'bad_signature');
    const tampered = { ...ours, caveats: [{ id: Buffer.from('services=svc:1') }] };
    assert.throws(() => verifyMacaroonSignature(tampered, rootKey), (e: unknown) => e instanceof L402Error && e.reason === 'bad_signature');
  });
});

describe('macaroon decoding rejections', () => {
  const good = encodeMacaroon(mint('lsat', ['services=svc:0']).ours);
  const bad: [string, Buffer][] = [
    ['empty', Buffer.alloc(0)],
    ['version 1 (hex text)', Buffer.from('0201', 'utf8')],
    ['version 3', Buffer.concat([Buffer.from([3]), good.subarray(1)])],
    ['truncated', good.subarray(0, good.length - 5)],
    ['trailing byte', Buffer.concat([good, Buffer.from([0])])],
    ['no identifier', Buffer.from([2, 1, 1, 0x6c, 0, 0, 6, 32, ...Buffer.alloc(32)])],
    ['fields out of order', Buffer.from([2, 2, 1, 0x41, 1, 1, 0x6c, 0, 0, 6, 32, ...Buffer.alloc(32)])],
    ['unknown field type 7', Buffer.from([2, 7, 1, 0x41, 0])],
    ['short signature', Buffer.from([2, 2, 1, 0x41, 0, 0, 6, 31, ...Buffer.alloc(31)])],
    ['location on first-party caveat', Buffer.from([2, 2, 1, 0x41, 0, 1, 1, 0x6c, 2, 1, 0x63, 0, 0, 6, 32, ...Buffer.alloc(32)])],
    ['caveat without id', Buffer.from([2, 2, 1, 0x41, 0, 4, 1, 0x76, 0, 0, 6, 32, ...Buffer.alloc(32)])],
    ['length past end', Buffer.from([2, 2, 0xff, 0x01, 0x41])],
    ['overlong varint', Buffer.from([2, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])],
  ];
  for (const [name, input] of bad) {
    it(`refuses ${name} as malformed`, () => {
      assert.throws(() => decodeMacaroon(input), (e: unknown) => e instanceof L402Error && e.reason === 'malformed');
    });
  }

  it('new root keys are 32 random bytes', () => {
    assert.equal(newRootKey().length, 32);
    assert.notDeepEqual(newRootKey(), newRootKey());
  });
});

describe('base64', () => {
  const data = Buffer.from([0xfb, 0xff, 0xbf, 0x01]);
  // standard padded, standard unpadded, URL-safe padded, URL-safe unpadded
  for (const form of ['+/+/AQ==', '+/+/AQ', '-_-_AQ==', '-_-_AQ']) {
    it(`decodes ${form}`, () => assert.deepEqual(decodeBase64Loose(form), data));
  }
  for (const form of ['+/+/A', '+/+/AQ=', '+/+/AQ===', 'ab$c', 'ab c', 'AQ==AQ==']) {
    it(`refuses ${JSON.stringify(form)}`, () => assert.equal(decodeBase64Loose(form), undefined));
  }
  it('emits standard padded base64', () => assert.equal(encodeBase64(data), '+/+/AQ=='));

  it('macaroons round-trip through base64 in every accepted form', () => {
    const mac = mint('lsat', ['services=svc:0']).ours;
    const std = macaroonToBase64(mac);
    assert.match(std, /^[A-Za-z0-9+/]+=*$/);
    const urlUnpadded = std.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    for (const form of [std, urlUnpadded, std.replace(/=+$/, '')]) {
      assert.deepEqual(encodeMacaroon(macaroonFromBase64(form)), encodeMacaroon(mac));
    }
    assert.throws(() => macaroonFromBase64('not base64!'), (e: unknown) => e instanceof L402Error && e.reason === 'malformed');
  });
});

describe('V1 binary macaroons (read for a paying client only)', () => {
  // libmacaroons V1: packets of 4 hex digits of length (header and newline included), `key value\n`.
  const packet = (key: string, value: Buffer | string) => {
    const body = Buffer.concat([Buffer.from(`${key} `), Buffer.from(value), Buffer.from('\n')]);
    return Buffer.concat([Buffer.from((body.length + 4).toString(16).padStart(4, '0')), body]);
  };
  const identifier = Buffer.alloc(66, 9);
  const signature = Buffer.alloc(32, 7);
  const v1 = Buffer.concat([
    packet('location', 'lsat'),
    packet('identifier', identifier),
    packet('cid', 'services=svc:0'),
    packet('signature', signature),
  ]);

  it('is decoded with acceptV1: location, identifier, caveats and signature', () => {
    assert.deepEqual(decodeMacaroon(v1, { acceptV1: true }), {
      location: 'lsat',
      identifier,
      caveats: [{ id: Buffer.from('services=svc:0') }],
      signature,
    });
  });

  it('is refused by default, as a server must', () => {
    assert.throws(() => decodeMacaroon(v1), (e: unknown) => e instanceof L402Error && e.reason === 'malformed');
  });

  const broken: [string, Buffer][] = [
    ['truncated', v1.subarray(0, v1.length - 3)],
    ['no identifier', Buffer.concat([packet('location', 'lsat'), packet('signature', signature)])],
    ['short signature', Buffer.concat([packet('identifier', identifier), packet('signature', Buffer.alloc(31))])],
    ['trailing packet', Buffer.concat([v1, packet('cid', 'x')])],
  ];
  for (const [name, input] of broken) {
    it(`refuses a V1 macaroon with ${name} as malformed`, () => {
      assert.throws(() => decodeMacaroon(input, { acceptV1: true }), (e: unknown) => e instanceof L402Error && e.reason === 'malformed');
    });
  }
});
