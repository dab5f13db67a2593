/**
 * Formatting of `WWW-Authenticate` challenge values (RFC 7235 §4.1, RFC 6750 §3, RFC 7617 §2).
 * Kept apart from the error classes so the access guard can compose several challenges (an `either`
 * route answers LSAT, L402 and Bearer values together) with the very same quoting rules.
 */

/** Realm satgate announces on every challenge (RFC 6750 §3: `Bearer realm="satgate"`). */
export const DEFAULT_REALM = 'satgate';

/**
 * Renders `value` as an HTTP quoted-string (RFC 7230 §3.2.6): `"` and `\` become quoted-pairs.
 * Characters outside visible ASCII + space (CR, LF, other controls, non-ASCII) are replaced by `?`,
 * so a caller-provided description can never split or inject a header line. RFC 6750 §3 limits
 * `error_description` and `scope` to %x20-21 / %x23-5B / %x5D-7E anyway.
 */
export function quoteHeaderValue(value: string): string {
  const safe = value.replace(/[^\x20-\x7E]/g, '?').replace(/["\\]/g, (c) => `\\${c}`);
  return `"${safe}"`;
}

/** Parameters of a Bearer challenge, in RFC 6750 §3 wire names. */
export interface BearerChallengeParams {
  /** Protection space; omitted from the header when undefined. */
  realm?: string;
  /** RFC 6750 §3.1 error code, e.g. `invalid_token`, `insufficient_scope`. */
  error?: string;
  /** Human-readable text; only include it when the reader is meant to see it. */
  error_description?: string;
  /** Scopes needed (RFC 6750 §3): a list is joined with single spaces. */
  scope?: string | readonly string[];
}

/**
 * `Bearer realm="satgate", error="insufficient_scope", scope="a b"` — parameters in the fixed order
 * realm, error, error_description, scope (the order RFC 6750's examples use), each quoted.
 * With no parameters at all the bare scheme `Bearer` is returned.
 */
export function formatBearerChallenge(params: BearerChallengeParams = {}): string {
  const parts: string[] = [];
  if (params.realm !== undefined) parts.push(`realm=${quoteHeaderValue(params.realm)}`);
  if (params.error !== undefined) parts.push(`error=${quoteHeaderValue(params.error)}`);
  if (params.error_description !== undefined) {
    parts.push(`error_description=${quoteHeaderValue(params.error_description)}`);
  }
  if (params.scope !== undefined) {
    const scope = typeof params.scope === 'string' ? params.scope : params.scope.join(' ');
    parts.push(`scope=${quoteHeaderValue(scope)}`);
  }
  return parts.length === 0 ? 'Bearer' : `Bearer ${parts.join(', ')}`;
}

/**
 * `Basic realm="satgate"` — what the token endpoint answers with a 401 `invalid_client`
 * (RFC 6749 §5.2: the challenge must match the scheme the client tried; RFC 7617 §2).
 */
export function formatBasicChallenge(realm: string = DEFAULT_REALM): string {
  return `Basic realm=${quoteHeaderValue(realm)}`;
}
