import { decodeBase64Loose, encodeBase64 } from './base64';
import { MalformedCredential } from './errors';
import type { Macaroon, MacaroonCaveat } from './macaroon';
import { decodeMacaroonV1, looksLikeMacaroonV1 } from './macaroon.v1';

/**
 * go-macaroon's V2 binary format, byte for byte (what aperture puts in challenges and expects back).
 *
 * Layout: `0x02`, [location (type 1)], identifier (type 2), EOS `0x00`; per caveat
 * [location (1)], id (2), [verification id (4)], EOS; a final EOS; signature (type 6, 32 bytes).
 * A packet is `varint type, varint length, data`. Within a section, field types strictly increase
 * (which is why a caveat's location comes before its id).
 */

const FIELD_EOS = 0;
const FIELD_LOCATION = 1;
const FIELD_IDENTIFIER = 2;
const FIELD_VID = 4;
const FIELD_SIGNATURE = 6;
const SIGNATURE_SIZE = 32;

function pushVarint(out: number[], value: number): void {
  while (value >= 0x80) {
    out.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 128);
  }
  out.push(value);
}

/** Encodes to V2 binary, byte-identical to go-macaroon's `MarshalBinary` and js-macaroon's `exportBinary`. */
export function encodeMacaroon(mac: Macaroon): Buffer {
  const parts: Uint8Array[] = [Uint8Array.of(2)];
  const field = (type: number, data: Uint8Array): void => {
    const prefix: number[] = [type];
    pushVarint(prefix, data.length);
    parts.push(Uint8Array.from(prefix), data);
  };
  const eos = (): void => void parts.push(Uint8Array.of(FIELD_EOS));
  if (mac.location) field(FIELD_LOCATION, Buffer.from(mac.location, 'utf8'));
  field(FIELD_IDENTIFIER, mac.identifier);
  eos();
  for (const caveat of mac.caveats) {
    if (caveat.location) field(FIELD_LOCATION, Buffer.from(caveat.location, 'utf8'));
    field(FIELD_IDENTIFIER, caveat.id);
    if (caveat.verificationId) field(FIELD_VID, caveat.verificationId);
    eos();
  }
  eos();
  field(FIELD_SIGNATURE, mac.signature);
  return Buffer.concat(parts);
}

interface Field {
  type: number;
  data: Buffer;
}

/** Sequential reader over the binary form; every error is a `MalformedCredential`. */
class Reader {
  constructor(
    private readonly buf: Buffer,
    private pos: number,
  ) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  private varint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= this.buf.length) throw new MalformedCredential('macaroon truncated');
      const b = this.buf[this.pos++];
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
    }
    throw new MalformedCredential('macaroon varint too long');
  }

  field(): Field {
    const type = this.varint();
    if (type > FIELD_SIGNATURE) throw new MalformedCredential('unknown macaroon field type');
    if (type === FIELD_EOS) return { type, data: Buffer.alloc(0) };
    const len = this.varint();
    if (len > this.buf.length - this.pos) throw new MalformedCredential('macaroon truncated: field extends past end');
    const data = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return { type, data };
  }

  /** Reads fields up to EOS; types must strictly increase (go-macaroon's `parseSectionV2`). */
  section(): Field[] {
    const fields: Field[] = [];
    let prev = -1;
    for (;;) {
      if (this.done) throw new MalformedCredential('macaroon truncated: section extends past end');
      const f = this.field();
      if (f.type === FIELD_EOS) return fields;
      if (f.type <= prev) throw new MalformedCredential('macaroon fields out of order');
      prev = f.type;
      fields.push(f);
    }
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function text(data: Buffer): string {
  try {
    return utf8.decode(data);
  } catch {
    throw new MalformedCredential('macaroon location is not UTF-8');
  }
}

/** How lenient decoding is; the defaults are what a server accepts in a credential. */
export interface DecodeMacaroonOptions {
  /**
   * Also read libmacaroons' V1 binary format. A paying client reading a challenge sets it (a server may be
   * old); satgate's server side never does, as it only mints and accepts V2.
   */
  acceptV1?: boolean;
}

/**
 * Decodes V2 binary with go-macaroon's rules. Stricter than go in one way: trailing bytes are refused
 * (go ignores them), since a credential must be exactly one macaroon. Returned buffers are copies.
 */
export function decodeMacaroon(bytes: Uint8Array, options: DecodeMacaroonOptions = {}): Macaroon {
  if (bytes.length === 0) throw new MalformedCredential('macaroon is empty');
  if (options.acceptV1 && looksLikeMacaroonV1(bytes)) return decodeMacaroonV1(bytes);
  if (bytes[0] !== 2) throw new MalformedCredential('not a V2 binary macaroon');
  // No copy of the input: fields we keep are copied below.
  const r = new Reader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 1);
  let header = r.section();
  let location = '';
  if (header[0]?.type === FIELD_LOCATION) {
    location = text(header[0].data);
    header = header.slice(1);
  }
  if (header.length !== 1 || header[0].type !== FIELD_IDENTIFIER) {
    throw new MalformedCredential('invalid macaroon header');
  }
  const caveats: MacaroonCaveat[] = [];
  for (;;) {
    let section = r.section();
    if (section.length === 0) break;
    const caveat: Partial<MacaroonCaveat> = {};
    if (section[0].type === FIELD_LOCATION) {
      caveat.location = text(section[0].data);
      section = section.slice(1);
    }
    if (section[0]?.type !== FIELD_IDENTIFIER) throw new MalformedCredential('caveat without identifier');
    caveat.id = Buffer.from(section[0].data);
    if (section.length === 1 && caveat.location) {
      throw new MalformedCredential('location not allowed in first-party caveat');
    }
    if (section.length > 2 || (section.length === 2 && section[1].type !== FIELD_VID)) {
      throw new MalformedCredential('unexpected field in caveat');
    }
    if (section.length === 2) caveat.verificationId = Buffer.from(section[1].data);
    caveats.push(caveat as MacaroonCaveat);
  }
  if (r.done) throw new MalformedCredential('macaroon has no signature');
  const sig = r.field();
  if (sig.type !== FIELD_SIGNATURE || sig.data.length !== SIGNATURE_SIZE) {
    throw new MalformedCredential('invalid macaroon signature field');
  }
  if (!r.done) throw new MalformedCredential('trailing bytes after macaroon');
  return { location, identifier: Buffer.from(header[0].data), caveats, signature: Buffer.from(sig.data) };
}

/** Standard padded base64 of the V2 binary form: what challenges and `Authorization` values carry. */
export function macaroonToBase64(mac: Macaroon): string {
  return encodeBase64(encodeMacaroon(mac));
}

/** Decodes a macaroon from standard or URL-safe base64, padded or not. Throws `MalformedCredential`. */
export function macaroonFromBase64(input: string, options: DecodeMacaroonOptions = {}): Macaroon {
  const bytes = decodeBase64Loose(input);
  if (!bytes) throw new MalformedCredential('macaroon is not base64');
  if (bytes.length === 0) throw new MalformedCredential('macaroon is empty');
  return decodeMacaroon(bytes, options);
}
