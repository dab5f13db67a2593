/**
 * Base of satgate's OAuth error hierarchy: the wire code, HTTP status, body and headers one filter
 * renders. Split from `errors.ts` so the RFC 6749 and RFC 6750 error files can both extend it
 * without importing each other.
 */
/** Every error code this module can put on the wire. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'unsupported_response_type'
  | 'access_denied'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'invalid_redirect_uri'
  | 'invalid_authorization_details'
  | 'budget_exceeded';

/**
 * JSON body of an error response (RFC 6749 §5.2); satgate always fills `error_description`. A type alias
 * (not an interface) so it is assignable to `Record<string, unknown>`, the shape the error filter expects.
 */
export type OAuthErrorBody = {
  error: OAuthErrorCode;
  error_description: string;
};

/**
 * Base of every OAuth error. `description` goes to the client as `error_description`, so it must
 * never contain a secret; `cause` (standard `Error` option) is for logs only.
 */
export abstract class OAuthError extends Error {
  /** Wire error code. */
  abstract readonly error: OAuthErrorCode;
  /** HTTP status when the error is answered directly (not redirected). */
  abstract readonly status: number;
  /** Client-visible explanation. */
  readonly description: string;

  constructor(description: string, options?: { cause?: unknown }) {
    super(description, options);
    this.name = new.target.name;
    this.description = description;
  }

  /** `{error, error_description}` for a JSON response (RFC 6749 §5.2). */
  toBody(): OAuthErrorBody {
    return { error: this.error, error_description: this.description };
  }

  /** Extra response headers this error requires (e.g. `WWW-Authenticate`); none by default. */
  headers(): Record<string, string> {
    return {};
  }

  /**
   * Query parameters for an error sent back to the client's redirect URI (RFC 6749 §4.1.2.1):
   * `error`, `error_description`, and `state` exactly as received when the request had one.
   */
  toRedirectParams(state?: string): Record<string, string> {
    const params: Record<string, string> = { error: this.error, error_description: this.toBody().error_description };
    if (state !== undefined && state !== '') params.state = state;
    return params;
  }
}

/** True for any error this module defines; lets a filter tell protocol errors from bugs. */
export function isOAuthError(value: unknown): value is OAuthError {
  return value instanceof OAuthError;
}
