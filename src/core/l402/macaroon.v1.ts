import { MalformedCredential } from './errors';
import type { Macaroon, MacaroonCaveat } from './macaroon';

/**
 * libmacaroons' V1 binary format, read only (satgate mints V2). A paying client may meet a server that
 * still sends V1, and needs its identifier to check the invoice before paying.
 *
 * Layout: packets of four hex digits giving the packet's whole length (those four included), then
 * `key value\n`. Keys in order: `location`, `identifier`, per caveat `cid` [`vid` `cl`], then `signature`
 * (32 raw bytes).
 */

const SIGNATURE_SIZE = 32;

interface Packet {
  key: string;
  value: Buffer;
}

function* packets(buf: Buffer): Generator<Packet> {
  let pos = 0;
  while (pos < buf.length) {
    if (pos + 4 > buf.length) throw new MalformedCredential('V1 macaroon truncated');
    const header = buf.subarray(pos, pos + 4).toString('latin1');
    if (!/^[0-9a-fA-F]{4}$/.test(header)) throw new MalformedCredential('V1 macaroon packet length is not hex');
    const len = parseInt(header, 16);
    if (len < 6) throw new MalformedCredential('V1 macaroon packet too short');
    if (pos + len > buf.length) throw new MalformedCredential('V1 macaroon truncated');
    const body = buf.subarray(pos + 4, pos + len);
    pos += len;
    const space = body.indexOf(0x20);
    if (space < 1 || body[body.length - 1] !== 0x0a) throw new MalformedCredential('malformed V1 macaroon packet');
    yield { key: body.subarray(0, space).toString('latin1'), value: Buffer.from(body.subarray(space + 1, body.length - 1)) };
  }
}

/** Whether `bytes` starts like a V1 binary macaroon (four hex digits), as opposed to V2's `0x02`. */
export function looksLikeMacaroonV1(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && /^[0-9a-fA-F]{4}$/.test(Buffer.from(bytes.subarray(0, 4)).toString('latin1'));
}

/** Decodes a V1 binary macaroon. Throws `MalformedCredential`. */
export function decodeMacaroonV1(bytes: Uint8Array): Macaroon {
  const all = [...packets(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))];
  let i = 0;
  let location = '';
  if (all[i]?.key === 'location') location = all[i++].value.toString('utf8');
  if (all[i]?.key !== 'identifier') throw new MalformedCredential('V1 macaroon has no identifier');
  const identifier = all[i++].value;
  const caveats: MacaroonCaveat[] = [];
  while (all[i]?.key === 'cid') {
    const caveat: MacaroonCaveat = { id: all[i++].value };
    if (all[i]?.key === 'vid') {
      caveat.verificationId = all[i++].value;
      if (all[i]?.key !== 'cl') throw new MalformedCredential('V1 macaroon third-party caveat without location');
      caveat.location = all[i++].value.toString('utf8');
    }
    caveats.push(caveat);
  }
  const sig = all[i++];
  if (sig?.key !== 'signature' || sig.value.length !== SIGNATURE_SIZE) {
    throw new MalformedCredential('V1 macaroon has no valid signature');
  }
  if (i !== all.length) throw new MalformedCredential('trailing packets after V1 macaroon');
  return { location, identifier, caveats, signature: sig.value };
}
