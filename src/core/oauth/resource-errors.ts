/**
 * RFC 6750 §3.1 errors a protected resource answers. Unlike the token endpoint errors, the
 * `WWW-Authenticate: Bearer` header is the part clients act on; the JSON body is a courtesy.
 */
import { OAuthError } from './oauth-error';
import { DEFAULT_REALM, formatBearerChallenge } from './www-authenticate';

/** Options of {@link InvalidToken}. */
export interface InvalidTokenOptions {
  /**
   * False when the request carried no credential at all: RFC 6750 §3.1 says the challenge SHOULD
   * then carry no error code (`Bearer realm="satgate"`), so clients do not report a bogus failure.
   */
  credentialSent?: boolean;
  /** Realm of the challenge. */
  realm?: string;
  /** Log-only cause (e.g. the JWT library's error). */
  cause?: unknown;
}

/**
 * Missing, malformed, unknown, expired or revoked access token. 401 with
 * `WWW-Authenticate: Bearer realm="satgate", error="invalid_token"` (RFC 6750 §3.1).
 */
export class InvalidToken extends OAuthError {
  readonly error = 'invalid_token' as const;
  readonly status = 401;
  /** Whether the caller sent a credential; decides whether the challenge names an error. */
  readonly credentialSent: boolean;
  private readonly realm: string;

  constructor(description = 'the access token is invalid, expired or revoked', options: InvalidTokenOptions = {}) {
    super(description, { cause: options.cause });
    this.credentialSent = options.credentialSent ?? true;
    this.realm = options.realm ?? DEFAULT_REALM;
  }

  /** The 401 for a request that carried no credential at all. */
  static missingCredential(realm: string = DEFAULT_REALM): InvalidToken {
    return new InvalidToken('no access token was sent', { credentialSent: false, realm });
  }

  /** The `WWW-Authenticate` value, also usable as one value among several challenges. */
  get wwwAuthenticate(): string {
    return this.credentialSent
      ? formatBearerChallenge({ realm: this.realm, error: this.error })
      : formatBearerChallenge({ realm: this.realm });
  }

  override headers(): Record<string, string> {
    return { 'WWW-Authenticate': this.wwwAuthenticate };
  }
}

/**
 * A valid token that lacks a scope the resource needs. 403 with
 * `WWW-Authenticate: Bearer realm="satgate", error="insufficient_scope", scope="..."` (RFC 6750 §3.1),
 * the `scope` attribute listing what the request requires so the client knows what to ask for.
 */
export class InsufficientScope extends OAuthError {
  readonly error = 'insufficient_scope' as const;
  readonly status = 403;
  /** Scopes the resource requires, in the order given. */
  readonly requiredScopes: readonly string[];
  private readonly realm: string;

  constructor(requiredScopes: readonly string[], description?: string, options: { realm?: string } = {}) {
    super(description ?? `this request requires the scope: ${requiredScopes.join(' ')}`);
    this.requiredScopes = [...requiredScopes];
    this.realm = options.realm ?? DEFAULT_REALM;
  }

  /** The `WWW-Authenticate` value, also usable as one value among several challenges. */
  get wwwAuthenticate(): string {
    return formatBearerChallenge({ realm: this.realm, error: this.error, scope: this.requiredScopes });
  }

  override headers(): Record<string, string> {
    return { 'WWW-Authenticate': this.wwwAuthenticate };
  }
}
