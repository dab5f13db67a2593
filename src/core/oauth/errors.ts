/**
 * OAuth 2.0 errors named after their wire code (node-oidc-provider style): a service throws
 * `new InvalidGrant('code expired')` and one filter renders `status`, `headers()` and `toBody()`.
 * Codes and statuses: RFC 6749 §4.1.2.1 (authorization endpoint), §5.2 (token endpoint),
 * RFC 6750 §3.1 (protected resources), RFC 7591 §3.2.2 (client metadata).
 */
import { OAuthError, type OAuthErrorBody } from './oauth-error';
import { DEFAULT_REALM, formatBasicChallenge } from './www-authenticate';

export { OAuthError, isOAuthError } from './oauth-error';
export type { OAuthErrorBody } from './oauth-error';

/** Missing, repeated or malformed parameter (RFC 6749 §4.1.2.1, §5.2). 400. */
export class InvalidRequest extends OAuthError {
  readonly error = 'invalid_request' as const;
  readonly status = 400;
  constructor(description = 'the request is missing a parameter or is malformed', options?: { cause?: unknown }) {
    super(description, options);
  }
}

/** How the client presented (or failed to present) its credentials; decides the 401 challenge. */
export interface InvalidClientOptions {
  /** The client used `Authorization: Basic`: RFC 6749 §5.2 then requires 401 + `WWW-Authenticate: Basic`. */
  basic?: boolean;
  /**
   * Status when Basic was not used. 401 (default) always carries a `Basic` challenge, because
   * RFC 7235 §3.1 requires `WWW-Authenticate` on every 401; 400 sends no challenge. Ignored when `basic`.
   */
  status?: 400 | 401;
  /** Realm of the Basic challenge. */
  realm?: string;
}

/** Client authentication failed: unknown client, wrong secret, no or unsupported auth (RFC 6749 §5.2). */
export class InvalidClient extends OAuthError {
  readonly error = 'invalid_client' as const;
  readonly status: 400 | 401;
  private readonly realm: string;
  constructor(description = 'client authentication failed', options: InvalidClientOptions = {}) {
    super(description);
    this.status = options.basic ? 401 : (options.status ?? 401);
    this.realm = options.realm ?? DEFAULT_REALM;
  }
  override headers(): Record<string, string> {
    return this.status === 401 ? { 'WWW-Authenticate': formatBasicChallenge(this.realm) } : {};
  }
}

/** Code or refresh token invalid, expired, revoked, reused, or bound to another client/redirect URI (RFC 6749 §5.2). 400. */
export class InvalidGrant extends OAuthError {
  readonly error = 'invalid_grant' as const;
  readonly status = 400;
  constructor(description = 'the grant is invalid, expired or revoked', options?: { cause?: unknown }) {
    super(description, options);
  }
}

/** The authenticated client may not use this grant type / response type (RFC 6749 §5.2, §4.1.2.1). 400. */
export class UnauthorizedClient extends OAuthError {
  readonly error = 'unauthorized_client' as const;
  readonly status = 400;
  constructor(description = 'the client is not authorized to use this grant type') {
    super(description);
  }
}

/** `grant_type` not supported by this server (RFC 6749 §5.2). 400. */
export class UnsupportedGrantType extends OAuthError {
  readonly error = 'unsupported_grant_type' as const;
  readonly status = 400;
  constructor(description = 'unsupported grant_type') {
    super(description);
  }
}

/** Scope invalid, unknown, malformed, or exceeding what was granted (RFC 6749 §5.2, §3.3). 400. */
export class InvalidScope extends OAuthError {
  readonly error = 'invalid_scope' as const;
  readonly status = 400;
  constructor(description = 'the requested scope is invalid, unknown or malformed') {
    super(description);
  }
}

/** `response_type` other than the supported ones, i.e. other than `code` (RFC 6749 §4.1.2.1). 400. */
export class UnsupportedResponseType extends OAuthError {
  readonly error = 'unsupported_response_type' as const;
  readonly status = 400;
  constructor(description = 'unsupported response_type') {
    super(description);
  }
}

/** The resource owner denied the request (RFC 6749 §4.1.2.1); 403 when answered directly. */
export class AccessDenied extends OAuthError {
  readonly error = 'access_denied' as const;
  readonly status = 403;
  constructor(description = 'the resource owner denied the request') {
    super(description);
  }
}

/**
 * Unexpected failure (RFC 6749 §4.1.2.1). 500. The body is always generic (docs/style.md: a 5xx answers a
 * generic body and logs the cause); `message` and `cause` are for the log only.
 */
export class ServerError extends OAuthError {
  readonly error = 'server_error' as const;
  readonly status = 500;
  constructor(internalMessage = 'internal server error', options?: { cause?: unknown }) {
    super(internalMessage, options);
  }
  override toBody(): OAuthErrorBody {
    return { error: this.error, error_description: 'internal server error' };
  }
}

/** Temporarily overloaded or a dependency is down (RFC 6749 §4.1.2.1). 503, with `Retry-After` when known. */
export class TemporarilyUnavailable extends OAuthError {
  readonly error = 'temporarily_unavailable' as const;
  readonly status = 503;
  /** Seconds after which a retry makes sense (RFC 9110 §10.2.3). */
  readonly retryAfterSeconds?: number;
  constructor(description = 'the service is temporarily unavailable', options: { retryAfterSeconds?: number } = {}) {
    super(description);
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
  override headers(): Record<string, string> {
    return this.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(Math.ceil(this.retryAfterSeconds)) };
  }
}

/** Client metadata carried a redirect URI satgate will not register (RFC 7591 §3.2.2). 400. */
export class InvalidRedirectUri extends OAuthError {
  readonly error = 'invalid_redirect_uri' as const;
  readonly status = 400;
  constructor(description = 'invalid redirect URI') {
    super(description);
  }
}

export { InvalidToken, InsufficientScope } from './resource-errors';
