/**
 * Byte-level interoperability with the npm `macaroon` package (js-macaroon, go-macaroon's sibling) in both
 * directions: it imports and verifies a macaroon satgate minted, with the root key satgate
 * stored; and a macaroon it mints around an aperture-format identifier, whose root key is stored in
 * satgate's table, is accepted by satgate.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeIdentifier, identifierHash, newRootKey, randomTokenId } from '../src/core/l402';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { query, resetDatabase } from './support/database';
import { insertRootKey, l402Header, randomPreimage, request, startL402Fixture, type L402Fixture } from './l402.fixture';

interface JsMacaroon {
  readonly identifier: Uint8Array;
  readonly location: string;
  readonly caveats: { identifier: Uint8Array }[];
  addFirstPartyCaveat(caveat: string): void;
  exportBinary(): Uint8Array;
  verify(rootKey: Uint8Array, check: (condition: string) => string | null): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const js = require('macaroon') as {
  newMacaroon(p: { identifier: Uint8Array; location?: string; rootKey: Uint8Array; version: 2 }): JsMacaroon;
  importMacaroon(data: Uint8Array): JsMacaroon;
};

let fx: L402Fixture;
let app: RunningSatgate;
before(async () => {
  await resetDatabase();
  fx = await startL402Fixture();
  app = await fx.startApp();
});
after(() => fx?.stop());

it('the macaroon package imports a satgate macaroon and verifies it with the root key read from the database', async () => {
  const challenge = await request(`${app.url}/demo/paid`);
  assert.equal(challenge.status, 402);
  const imported = js.importMacaroon(Buffer.from(challenge.body.macaroon, 'base64'));
  assert.equal(imported.location, 'lsat');
  assert.equal(imported.identifier.length, 66);
  const [row] = await query<{ root_key: Buffer }>('SELECT root_key FROM l402_root_keys WHERE id_hash = $1', [
    identifierHash(imported.identifier).toString('hex'),
  ]);
  const seen: string[] = [];
  imported.verify(row.root_key, (condition) => {
    seen.push(condition);
    return null;
  });
  assert.equal(seen[0], 'services=demo:0');
  assert.match(seen[1], /^demo_valid_until=\d+$/);
  assert.equal(seen.length, 2);
  assert.throws(() => imported.verify(newRootKey(), () => null), /signature mismatch/, 'and fails with any other key');

  // A restriction added with the package (as a client would) still verifies in satgate once paid.
  const preimage = await fx.pay(challenge.body.invoice);
  const until = Number(seen[1].split('=')[1]) - 60;
  imported.addFirstPartyCaveat(`demo_valid_until=${until}`);
  const attenuated = Buffer.from(imported.exportBinary()).toString('base64');
  const res = await request(`${app.url}/demo/paid`, l402Header(attenuated, preimage));
  assert.equal(res.status, 200, JSON.stringify(res.body));
});

it('a macaroon minted with the macaroon package around an aperture-format identifier verifies in satgate', async () => {
  const { preimage, paymentHash } = randomPreimage();
  const tokenId = randomTokenId();
  const identifier = encodeIdentifier({ paymentHash, tokenId });
  assert.equal(identifier.subarray(0, 2).toString('hex'), '0000', 'version 0, as aperture writes it');
  const rootKey = newRootKey();
  const mac = js.newMacaroon({ identifier, location: 'lsat', rootKey, version: 2 });
  mac.addFirstPartyCaveat('services=demo:0');
  mac.addFirstPartyCaveat(`demo_valid_until=${Math.floor(Date.now() / 1000) + 600}`);
  await insertRootKey({ idHash: identifierHash(identifier), rootKey, paymentHash, tokenId, service: 'demo' });
  const b64 = Buffer.from(mac.exportBinary()).toString('base64');

  const res = await request(`${app.url}/demo/paid`, l402Header(b64, preimage.toString('hex')));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.token_id, tokenId.toString('hex'));
  const lsat = await request(`${app.url}/demo/paid`, l402Header(b64, preimage.toString('hex'), 'LSAT'));
  assert.equal(lsat.status, 200);

  // And the same bytes with a different root key on file are refused as forged.
  await query('UPDATE l402_root_keys SET root_key = $1 WHERE token_id = $2', [newRootKey(), tokenId.toString('hex')]);
  const restarted = await fx.startApp(); // a fresh instance: no cached key
  const forged = await request(`${restarted.url}/demo/paid`, l402Header(b64, preimage.toString('hex')));
  assert.equal(forged.status, 402);
  assert.equal(forged.body.reason, 'bad_signature');
});
