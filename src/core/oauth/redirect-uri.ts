/**
 * Redirect URI rules: what a client may register, how a requested URI is matched, and how the
 * `Location` of the authorization response is built. Matching is exact string comparison
 * (RFC 9700 §2.1, §4.1.3; RFC 6749 §3.1.2.3) — no prefix, suffix, wildcard or normalization, because
 * every lenient matcher in the wild has been bypassed (`app.example.com.evil.com`,
 * `app.example.com@evil.com`, `/cb/../open-redirect`).
 *
 * The one exception is the port of a loopback redirect URI of a native app: RFC 8252 §7.3 says the
 * server MUST allow any port, since the app binds an ephemeral one at run time. It is for native apps,
 * which are public clients (RFC 8252 §8.4): a confidential client is a server with a fixed address, and
 * answering it on any loopback port would hand its codes to whatever local process listens there first
 * — so a confidential client's loopback URI matches exactly, port included. Decision on
 * `localhost`: RFC 8252 §8.3 calls it NOT RECOMMENDED (it may resolve to a non-loopback address), but
 * RFC 9700 §2.1 words the exception as "port numbers in localhost redirection URIs", and Alby's
 * documented demo client uses `http://localhost:8080`. satgate therefore treats `http://localhost`
 * like `http://127.0.0.1` and `http://[::1]` — for the port only. Everything else must still match
 * exactly: the host spelling (`localhost` never matches `127.0.0.1`), path, and query. Only the
 * `http` scheme qualifies (RFC 8252 §7.3: loopback redirects use http).
 */
import { InvalidRedirectUri, InvalidRequest } from './errors';

/** `http://<loopback host>[:port]<rest>` where rest is empty or starts with `/` or `?`. */
const LOOPBACK = /^(http:\/\/(?:127\.0\.0\.1|\[::1\]|localhost))(?::(\d{1,5}))?([/?].*)?$/;

/** Schemes that would run code or read local files if a browser followed them. */
const FORBIDDEN_SCHEMES = new Set(['javascript', 'data', 'vbscript', 'file', 'blob', 'about']);

/** The URI without its port when it is a loopback http URI with a valid (or no) port; else undefined. */
function loopbackWithoutPort(uri: string): string | undefined {
  const match = LOOPBACK.exec(uri);
  if (!match) return undefined;
  if (match[2] !== undefined) {
    const port = Number(match[2]);
    if (port < 1 || port > 65535) return undefined;
  }
  return match[1] + (match[3] ?? '');
}

/** Who the redirect URI is matched for. */
export interface RedirectMatching {
  /** A public client (native app): only it gets RFC 8252 §7.3's any-port loopback exception. */
  publicClient: boolean;
}

/**
 * True when `requested` matches the registered URI: identical strings, or — for a public client only —
 * both loopback http URIs identical apart from the port (RFC 8252 §7.3; see the file comment).
 */
export function redirectUriMatches(requested: string, registered: string, matching: RedirectMatching): boolean {
  if (requested === registered) return true;
  if (!matching.publicClient) return false;
  const a = loopbackWithoutPort(requested);
  return a !== undefined && a === loopbackWithoutPort(registered);
}

/**
 * Returns the redirect URI to use — `requested` itself, which for a loopback URI carries the app's
 * actual port — or throws `invalid_request` when no registered URI matches. Per RFC 6749 §4.1.2.1
 * the caller must show that error to the user and MUST NOT redirect to the unverified URI.
 */
export function matchRedirectUri(requested: string, registered: readonly string[], matching: RedirectMatching): string {
  if (registered.some((uri) => redirectUriMatches(requested, uri, matching))) return requested;
  throw new InvalidRequest('redirect_uri does not match any URI registered for this client');
}

/** Outcome of {@link resolveRedirectUri}. */
export interface ResolvedRedirectUri {
  /** Where the authorization response goes. */
  redirectUri: string;
  /**
   * Whether the authorization request named it: RFC 6749 §4.1.3 then requires the token request to
   * repeat the identical `redirect_uri`, so store this with the code.
   */
  explicit: boolean;
}

/**
 * The redirect URI of an authorization request. RFC 6749 §3.1.2.3: with exactly one registered URI
 * the parameter may be omitted; with none or several it is required. A given one must match.
 */
export function resolveRedirectUri(
  requested: string | undefined,
  registered: readonly string[],
  matching: RedirectMatching,
): ResolvedRedirectUri {
  if (requested !== undefined && requested !== '') {
    return { redirectUri: matchRedirectUri(requested, registered, matching), explicit: true };
  }
  if (registered.length === 1) return { redirectUri: registered[0], explicit: false };
  throw new InvalidRequest('redirect_uri is required: the client has none or several registered');
}

/**
 * Checks a URI before it is registered for a client; throws `invalid_redirect_uri` (RFC 7591 §3.2.2)
 * with the reason. Rules: an absolute URI of visible ASCII; no fragment (RFC 6749 §3.1.2); no user
 * information; `https`, or `http` only for loopback (RFC 6749 §3.1.2.1 wants TLS; RFC 8252 §7.3); other schemes
 * only as reverse-domain private-use schemes like `com.example.app` (RFC 8252 §7.1), never
 * `javascript:`, `data:` and the like.
 */
export function validateRedirectUri(uri: string): void {
  if (uri === '' || /[^\x21-\x7E]/.test(uri)) {
    throw new InvalidRedirectUri('redirect URI must be non-empty visible ASCII without spaces');
  }
  if (uri.includes('#')) throw new InvalidRedirectUri('redirect URI must not contain a fragment');
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new InvalidRedirectUri('redirect URI must be an absolute URI');
  }
  if (url.username !== '' || url.password !== '') {
    throw new InvalidRedirectUri('redirect URI must not contain user information');
  }
  const scheme = url.protocol.slice(0, -1);
  if (scheme === 'https') {
    if (url.hostname === '') throw new InvalidRedirectUri('https redirect URI needs a host');
  } else if (scheme === 'http') {
    if (loopbackWithoutPort(uri) === undefined) {
      throw new InvalidRedirectUri('http redirect URIs are only allowed for 127.0.0.1, [::1] and localhost');
    }
  } else if (FORBIDDEN_SCHEMES.has(scheme)) {
    throw new InvalidRedirectUri('redirect URI scheme is not allowed (javascript, data, vbscript, file, blob and about are refused)');
  } else if (!scheme.includes('.')) {
    throw new InvalidRedirectUri('private-use redirect URI schemes must be reverse domain names, e.g. com.example.app');
  }
}

/**
 * The `Location` of an authorization response (RFC 6749 §4.1.2, §4.1.2.1): `params` appended as
 * `application/x-www-form-urlencoded` query parameters, keeping any query the redirect URI already
 * has (RFC 6749 §3.1.2: it "MUST be retained"). Undefined values are skipped. Plain string
 * building, not `URL`, so the registered URI is reproduced byte for byte.
 */
export function buildRedirectLocation(redirectUri: string, params: Readonly<Record<string, string | undefined>>): string {
  if (redirectUri.includes('#')) throw new TypeError('a redirect URI must not contain a fragment');
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) query.append(name, value);
  }
  const encoded = query.toString();
  if (encoded === '') return redirectUri;
  const q = redirectUri.indexOf('?');
  const separator = q < 0 ? '?' : redirectUri.endsWith('?') || redirectUri.endsWith('&') ? '' : '&';
  return redirectUri + separator + encoded;
}
