/**
 * Reading client credentials at the token, introspection and revocation endpoints: HTTP Basic
 * (RFC 6749 §2.3.1, `client_secret_basic`), body parameters (`client_secret_post`), or a public
 * client naming itself with `client_id` only (`none`). Checking the secret against the stored hash
 * is the clients service's job; this file only decides *who claims to be calling, and how*.
 */
import { InvalidClient, InvalidRequest } from './errors';
import { readParam, type RawParams } from './params';

/** Client authentication method names as registered by RFC 8414 / RFC 7591 §2. */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/** Credentials carried by an `Authorization: Basic` header, already form-urlencoding-decoded. */
export interface BasicCredentials {
  clientId: string;
  /** Undefined when the password part was empty (Alby's public clients send `client_id:`). */
  clientSecret?: string;
}

/** Who the request claims to come from, and how it said so. */
export interface ClientCredentials {
  clientId: string;
  /** Undefined for public clients; compare with the stored hash in constant time. */
  clientSecret?: string;
  method: ClientAuthMethod;
  /**
   * The client used `Authorization: Basic` (even with an empty password). A failed authentication
   * must then be a 401 with `WWW-Authenticate: Basic`: pass `{ basic: usedBasic }` to {@link InvalidClient}.
   */
  usedBasic: boolean;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASIC = /^basic +(\S+) *$/i;

/**
 * Decodes one form-urlencoded component (RFC 6749 Appendix B): `+` is a space, then percent-decoding.
 * RFC 6749 §2.3.1 has clients encode id and secret this way *before* Base64, so a secret containing
 * `:` arrives as `%3A` and cannot be confused with the user-pass separator.
 */
function formUrlDecode(component: string): string {
  try {
    return decodeURIComponent(component.replace(/\+/g, ' '));
  } catch {
    throw new InvalidClient('malformed percent-encoding in Basic credentials', { basic: true });
  }
}

/**
 * Parses `Authorization: Basic base64(urlencode(client_id) ":" urlencode(client_secret))`
 * (RFC 6749 §2.3.1, RFC 7617 §2). Returns undefined when the header is absent or uses another
 * scheme (a Bearer header is not client authentication). A Basic header that cannot be decoded is
 * an `invalid_client` with the Basic challenge (RFC 6749 §5.2).
 */
export function parseBasicAuthorization(header: string | undefined): BasicCredentials | undefined {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (!/^basic(\s|$)/i.test(trimmed)) return undefined;
  const match = BASIC.exec(trimmed);
  if (!match || !BASE64.test(match[1])) throw new InvalidClient('malformed Basic credentials', { basic: true });

  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(match[1], 'base64'));
  } catch {
    throw new InvalidClient('Basic credentials are not valid UTF-8', { basic: true });
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new InvalidClient('Basic credentials lack the ":" separator', { basic: true });

  const clientId = formUrlDecode(decoded.slice(0, colon));
  const clientSecret = formUrlDecode(decoded.slice(colon + 1));
  if (clientId === '') throw new InvalidClient('Basic credentials carry an empty client id', { basic: true });
  return clientSecret === '' ? { clientId } : { clientId, clientSecret };
}

/** The request parts client authentication can come from. */
export interface ClientAuthInput {
  /** Raw `Authorization` header value, if any. */
  authorization?: string;
  /** Parsed form body (token, revoke and introspect endpoints are form-encoded). */
  body?: RawParams;
}

/**
 * Merges Basic and body credentials into one identity.
 * - RFC 6749 §2.3: "The client MUST NOT use more than one authentication method in each request" —
 *   Basic plus a body `client_secret` is an `invalid_request`; so is a body `client_id` that names a
 *   different client than the Basic header (the same id repeated in the body is tolerated, as many
 *   client libraries send it).
 * - RFC 6749 §2.3.1: `client_secret` in the body requires `client_id` beside it.
 * - No client identity at all is an `invalid_client` (RFC 6749 §5.2: "no client authentication included").
 */
export function extractClientCredentials(input: ClientAuthInput): ClientCredentials {
  const basic = parseBasicAuthorization(input.authorization);
  const bodyId = readParam(input.body, 'client_id');
  const bodySecret = readParam(input.body, 'client_secret');

  if (basic) {
    if (bodySecret !== undefined) {
      throw new InvalidRequest('client credentials sent both in the Authorization header and in the body');
    }
    if (bodyId !== undefined && bodyId !== basic.clientId) {
      throw new InvalidRequest('client_id in the body does not match the Authorization header');
    }
    return basic.clientSecret === undefined
      ? { clientId: basic.clientId, method: 'none', usedBasic: true }
      : { clientId: basic.clientId, clientSecret: basic.clientSecret, method: 'client_secret_basic', usedBasic: true };
  }

  if (bodyId === undefined) {
    if (bodySecret !== undefined) throw new InvalidRequest('client_secret sent without client_id');
    throw new InvalidClient('client authentication required');
  }
  return bodySecret === undefined
    ? { clientId: bodyId, method: 'none', usedBasic: false }
    : { clientId: bodyId, clientSecret: bodySecret, method: 'client_secret_post', usedBasic: false };
}
