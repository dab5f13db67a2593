import { createHmac, randomBytes } from 'node:crypto';
import { constantTimeEqual } from '../core/oauth';

/**
 * CSRF protection for every login form: a *signed double-submit* token bound to the sign-in session (OWASP
 * CSRF Cheat Sheet, "Signed Double-Submit Cookie" with the session as the binding). The browser holds a random
 * value in an HttpOnly cookie; each form carries `HMAC(key, cookie value, session)`, where the session part is
 * the browser's session token once it is signed in and empty before. Why the session: anyone who can set a
 * cookie for the host (a sibling subdomain, another port on the same name) can plant a cookie value together
 * with the token they were shown for it, but they cannot know the victim's session token, so a planted pair
 * never passes on a signed-in victim's consent, revoke or logout form. Before sign-in the token is bound to
 * the cookie alone, which still protects the sign-in form from cross-site posts. Nothing is stored
 * server-side and the forms are plain HTML (no JavaScript); every instance verifies the same way (the key is
 * derived from a configured secret, not generated per process).
 */
export class CsrfTokens {
  private readonly key: Buffer;

  /** `secret` is a server secret (JWT_SECRET); the HMAC key is derived from it for this purpose only. */
  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('satgate/login-csrf/v2').digest();
  }

  /** A fresh random cookie value (256 bits). */
  newCookieValue(): string {
    return randomBytes(32).toString('base64url');
  }

  /** The form token bound to a cookie value and, when signed in, the session token. */
  tokenFor(cookieValue: string, sessionToken?: string): string {
    // Length-prefixed fields: no pair of (cookie, session) values can produce another pair's input.
    return createHmac('sha256', this.key)
      .update(`${cookieValue.length}:${cookieValue}\n${(sessionToken ?? '').length}:${sessionToken ?? ''}`)
      .digest('base64url');
  }

  /** Why a form post is refused, or undefined when its token matches the cookie and the session. */
  check(cookieValue: string | undefined, sessionToken: string | undefined, token: unknown): CsrfFailure | undefined {
    if (!cookieValue) return 'missing_cookie';
    if (typeof token !== 'string' || token === '') return 'missing_token';
    return constantTimeEqual(this.tokenFor(cookieValue, sessionToken), token) ? undefined : 'mismatch';
  }
}

/** Why a CSRF check failed (logged; the user sees one "form expired" page). */
export type CsrfFailure = 'missing_cookie' | 'missing_token' | 'mismatch';
