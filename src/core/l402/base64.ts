/**
 * Base64 as L402 peers actually send it. docs/protocol.md "Credential": accept a macaroon in standard or URL-safe base64,
 * padded or not (Lightning Labs' clients send standard padded, js-macaroon emits URL-safe unpadded);
 * always emit standard padded base64, which is what aperture's clients match with their regex.
 *
 * Node's `Buffer.from(s, 'base64')` silently skips invalid characters, so we validate first: a credential
 * that is not base64 must be refused as `malformed`, not decoded into garbage.
 */

const BASE64_BODY = /^[A-Za-z0-9+/_-]*$/;

/**
 * Decodes standard or URL-safe base64, with or without `=` padding. Returns `undefined` (not a throw)
 * for anything that is not base64 so callers pick the error reason that fits their context.
 */
export function decodeBase64Loose(input: string): Buffer | undefined {
  let body = input;
  let pad = 0;
  while (pad < 2 && body.endsWith('=')) {
    body = body.slice(0, -1);
    pad++;
  }
  if (!BASE64_BODY.test(body)) return undefined;
  // A lone trailing sextet cannot encode a byte.
  if (body.length % 4 === 1) return undefined;
  // When padding is present it must complete the final quantum exactly.
  if (pad > 0 && (body.length + pad) % 4 !== 0) return undefined;
  return Buffer.from(body, 'base64');
}

/** Standard alphabet, padded: the form satgate emits in challenges (docs/protocol.md "Challenge"). */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
