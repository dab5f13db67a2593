/**
 * Micro-benchmark (not a test): satgate's L402 verification against the npm `macaroon` package
 * (js-macaroon) on the same aperture-shaped token. Why it exists: verification runs on every paid
 * request, and this shows what node:crypto HMAC buys over js-macaroon's sjcl.
 *
 *   npx tsc -p tsconfig.json --outDir .build/l402core && node .build/l402core/src/core/l402/verify.bench.js
 */
import { createHash } from 'node:crypto';
import { decodeCaveat } from './caveats';
import { decodeMacaroon } from './macaroon.codec';
import { verifyMacaroonSignature } from './macaroon';
import { mintL402 } from './mint';
import { checkCaveats } from './satisfiers';
import { L402Verifier, type RootKeyRecord } from './verifier';

interface JsMacaroon {
  verify(rootKey: Uint8Array, check: (condition: string) => string | null): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const js = require('macaroon') as { importMacaroon(data: Uint8Array | string): JsMacaroon };

const preimage = Buffer.alloc(32, 7);
const paymentHash = createHash('sha256').update(preimage).digest();
const rootKey = Buffer.alloc(32, 1);
const minted = mintL402({
  rootKey,
  paymentHash,
  tokenId: Buffer.alloc(32, 2),
  service: 'svc',
  tier: 0,
  capabilities: ['read', 'write'],
  validUntil: 4_000_000_000,
});
const record: RootKeyRecord = { rootKey };
const now = new Date();
const verifier = new L402Verifier({ rootKeys: { getRootKey: () => record }, clock: { now: () => now } });
const target = { service: 'svc', capability: 'read' };

function bench(name: string, fn: () => void): void {
  for (let i = 0; i < 2_000; i++) fn(); // warm-up
  let ops = 0;
  const start = process.hrtime.bigint();
  const budget = 1_000_000_000n; // ~1 s
  while (process.hrtime.bigint() - start < budget) {
    for (let i = 0; i < 500; i++) fn();
    ops += 500;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`${name.padEnd(56)} ${Math.round(ops / seconds).toLocaleString('en-US').padStart(12)} ops/sec`);
}

bench('satgate: full verify (decode+preimage+key+HMAC+caveats)', () => {
  void verifier.verifyMaybeSync({ macaroon: minted.macaroon, preimage }, target);
});
const decoded = decodeMacaroon(minted.macaroon);
bench('satgate: signature + caveats on a decoded macaroon', () => {
  verifyMacaroonSignature(decoded, rootKey);
  checkCaveats(minted.caveats.map(decodeCaveat), { ...target, now, preimage }, {});
});
bench('satgate: signature only on a decoded macaroon', () => {
  verifyMacaroonSignature(decoded, rootKey);
});
bench('js-macaroon: importMacaroon + verify (caveats accepted)', () => {
  js.importMacaroon(minted.macaroon).verify(rootKey, () => null);
});
const imported = js.importMacaroon(minted.macaroon);
bench('js-macaroon: verify on an imported macaroon', () => {
  imported.verify(rootKey, () => null);
});
