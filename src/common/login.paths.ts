/** The login pages' paths, in one place for the login services, the pages and the OAuth hand-off. */
export const LOGIN_PATHS = {
  /** Sign-in without an app (then connected apps). */
  signIn: '/login',
  /** Sign-in + consent for an authorization request; `/oauth/authorize` without a user JWT redirects here. */
  authorize: '/login/authorize',
  apps: '/login/apps',
  revoke: '/login/apps/revoke',
  budget: '/login/apps/budget',
  logout: '/login/logout',
} as const;

/**
 * Longest authorization request (raw query) the login pages carry. A genuine one is far shorter (state and
 * scope are capped at 2048 characters, redirect URIs at 2000); a GET cannot bring more through Node's 16 KiB
 * header limit anyway, but the hidden `request` form field could bring a megabyte into every page and redirect.
 */
export const MAX_AUTHORIZATION_QUERY_LENGTH = 16 * 1024;

/**
 * `/login/authorize?<query>` — the page that continues the authorization request `query`. The query may come
 * from a form field (anything a browser can post, CR/LF and non-ASCII included), so it is parsed and re-encoded:
 * the result is always printable ASCII and safe in a `Location` header, and carries the same parameters.
 */
export function authorizePageUrl(query: string): string {
  const encoded = new URLSearchParams(query).toString();
  return encoded ? `${LOGIN_PATHS.authorize}?${encoded}` : LOGIN_PATHS.authorize;
}

/** A query string as OAuth parameters: each name once as a string, repeated names as arrays (to be refused). */
export function queryParams(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(query)) {
    const prev = out[name];
    out[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/**
 * Where `/oauth/authorize` sends a browser that brought no user JWT: this service's sign-in/consent page
 * with the same authorization parameters (query and, for a POST, form fields; repeated ones stay repeated
 * so validation still refuses them). The OAuth authorization service calls this; it lives in common/ so that
 * oauth/ does not import login/ (login/ already depends on oauth/ through its authorization-flow port).
 */
export function loginAuthorizeLocation(params: Readonly<Record<string, unknown>>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') query.append(name, v);
  }
  return authorizePageUrl(query.toString());
}
