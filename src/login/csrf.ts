import { createHmac, randomBytes } from 'node:crypto';
import { constantTimeEqual } from '../core/oauth';

/**
 * CSRF protection for every login form: the *signed double-submit* pattern (OWASP CSRF Cheat Sheet). The
 * browser holds a random value in an HttpOnly cookie; each form carries `HMAC(key, cookie value)`. A forged
 * cross-site post cannot read the cookie, and without the server key it cannot compute the token for a
 * cookie it planted either. Nothing is stored server-side, so it also protects the sign-in form itself
 * (login CSRF) before any session exists, and every instance verifies the same way (the key is derived from
 * a configured secret, not generated per process).
 */
export class CsrfTokens {
  private readonly key: Buffer;

  /** `secret` is a server secret (JWT_SECRET); the HMAC key is derived from it for this purpose only. */
  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('satgate/login-csrf/v1').digest();
  }

  /** A fresh random cookie value (256 bits). */
  newCookieValue(): string {
    return randomBytes(32).toString('base64url');
  }

  /** The form token bound to a cookie value. */
  tokenFor(cookieValue: string): string {
    return createHmac('sha256', this.key).update(cookieValue).digest('base64url');
  }

  /** Why a form post is refused, or undefined when its token matches the cookie. */
  check(cookieValue: string | undefined, token: unknown): CsrfFailure | undefined {
    if (!cookieValue) return 'missing_cookie';
    if (typeof token !== 'string' || token === '') return 'missing_token';
    return constantTimeEqual(this.tokenFor(cookieValue), token) ? undefined : 'mismatch';
  }
}

/** Why a CSRF check failed (logged; the user sees one "form expired" page). */
export type CsrfFailure = 'missing_cookie' | 'missing_token' | 'mismatch';
