/**
 * Test helpers (not shipped API): real BOLT 11 invoices signed by a throwaway key and real V2 macaroons
 * minted with the npm `macaroon` package, so unit tests exercise the same decoders production uses.
 */
import { createHash, randomBytes } from 'node:crypto';

/* eslint-disable @typescript-eslint/no-require-imports */
const invoices = require('invoices') as {
  createUnsignedRequest(args: Record<string, unknown>): { hash: string; hrp: string; tags: number[] };
  createSignedRequest(args: Record<string, unknown>): { request: string };
};
const ecc = require('tiny-secp256k1') as {
  isPrivate(d: Uint8Array): boolean;
  pointFromScalar(d: Uint8Array, compressed: boolean): Uint8Array | null;
  sign(h: Uint8Array, d: Uint8Array): Uint8Array;
};
/** The slice of the npm `macaroon` package the tests use. */
export interface JsMacaroon {
  identifier: Uint8Array;
  caveats: { identifier: Uint8Array }[];
  addFirstPartyCaveat(caveat: string | Uint8Array): void;
  exportBinary(): Uint8Array;
  verify(rootKey: Uint8Array, check: (caveat: string) => string | null): void;
}
export const macaroonLib = require('macaroon') as {
  newMacaroon(args: { identifier: Uint8Array; location?: string; rootKey: Uint8Array; version?: number }): JsMacaroon;
  importMacaroon(bytes: Uint8Array): JsMacaroon;
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** sha256 as hex, the relation between preimage and payment hash. */
export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A fresh preimage and its payment hash. */
export function newPreimage(): { preimage: string; paymentHash: string } {
  const preimage = randomBytes(32);
  return { preimage: preimage.toString('hex'), paymentHash: sha256Hex(preimage) };
}

/** A signed BOLT 11 invoice for `paymentHash`; `msat` wins over `sats`; no amount when both are absent. */
export function makeInvoice(opts: {
  paymentHash: string;
  sats?: number;
  msat?: bigint;
  network?: string;
  expiresAt?: Date;
  createdAt?: Date;
}): string {
  let key: Buffer;
  do key = randomBytes(32);
  while (!ecc.isPrivate(key));
  const destination = Buffer.from(ecc.pointFromScalar(key, true)!).toString('hex');
  const createdAt = opts.createdAt ?? new Date();
  const unsigned = invoices.createUnsignedRequest({
    id: opts.paymentHash,
    ...(opts.msat !== undefined ? { mtokens: opts.msat.toString() } : opts.sats !== undefined ? { tokens: opts.sats } : {}),
    network: opts.network ?? 'regtest',
    description: 'satgate test',
    destination,
    features: [{ bit: 9 }, { bit: 14 }, { bit: 16 }],
    payment: randomBytes(32).toString('hex'),
    created_at: createdAt.toISOString(),
    expires_at: (opts.expiresAt ?? new Date(createdAt.getTime() + 3600_000)).toISOString(),
  });
  const signature = Buffer.from(ecc.sign(Buffer.from(unsigned.hash, 'hex'), key)).toString('hex');
  return invoices.createSignedRequest({ hrp: unsigned.hrp, tags: unsigned.tags, destination, signature }).request;
}

/** The 66-byte L402 identifier: version 0 || payment hash || token id. */
export function l402Identifier(paymentHash: string, tokenId: Buffer = randomBytes(32), version = 0): Buffer {
  const v = Buffer.alloc(2);
  v.writeUInt16BE(version);
  return Buffer.concat([v, Buffer.from(paymentHash, 'hex'), tokenId]);
}

/** Mint a macaroon around an identifier, as aperture does (location "lsat"), returned as standard base64. */
export function mintMacaroon(
  identifier: Buffer,
  opts: { rootKey?: Buffer; caveats?: string[]; location?: string; version?: number } = {},
): { macaroon: string; rootKey: Buffer } {
  const rootKey = opts.rootKey ?? randomBytes(32);
  const mac = macaroonLib.newMacaroon({
    identifier,
    location: opts.location ?? 'lsat',
    rootKey,
    version: opts.version ?? 2,
  });
  for (const c of opts.caveats ?? []) mac.addFirstPartyCaveat(c);
  return { macaroon: Buffer.from(mac.exportBinary()).toString('base64'), rootKey };
}

/** Collects what a command writes, for asserting on stdout/stderr. */
export function captureIo() {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  return {
    io: {
      stdout: { write: (c: string | Uint8Array) => out.push(Buffer.from(c)) },
      stderr: { write: (c: string | Uint8Array) => err.push(Buffer.from(c)) },
    },
    stdout: () => Buffer.concat(out).toString('utf8'),
    stderr: () => Buffer.concat(err).toString('utf8'),
  };
}
