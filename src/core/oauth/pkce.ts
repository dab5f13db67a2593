/**
 * PKCE (RFC 7636): binds an authorization code to the client instance that asked for it, so a stolen
 * code is useless without the verifier. Two halves: accepting the challenge at `/oauth/authorize`,
 * and checking the verifier at `/oauth/token`.
 */
import { createHash } from 'node:crypto';
import { InvalidGrant, InvalidRequest } from './errors';
import { constantTimeEqual } from './secrets';

/** Transformation methods of RFC 7636 §4.2; `plain` is only honoured when explicitly enabled. */
export type CodeChallengeMethod = 'S256' | 'plain';

/** What is stored with an authorization code. */
export interface PkceChallenge {
  challenge: string;
  method: CodeChallengeMethod;
}

/** `code-verifier = 43*128unreserved`, unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~" (RFC 7636 §4.1). */
export const CODE_VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;

/** An S256 challenge is BASE64URL(SHA256(verifier)) without padding: always 43 chars (RFC 7636 §4.2). */
const S256_CHALLENGE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** `code_challenge = BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))` (RFC 7636 §4.2). */
export function computeS256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** Options shared by both halves. */
export interface PkceOptions {
  /** Accept `code_challenge_method=plain` (RFC 7636 §4.2 allows it; RFC 9700 §2.1.1 says prefer S256). */
  allowPlain?: boolean;
}

/** Options of {@link parseCodeChallenge}. */
export interface ParseChallengeOptions extends PkceOptions {
  /** PKCE is mandatory for this client (public clients, RFC 9700 §2.1.1). */
  required?: boolean;
}

/**
 * Validates the PKCE parameters of an authorization request and returns what to store with the code
 * (undefined when the client sent none and PKCE is optional for it). Every failure is an
 * `invalid_request` (RFC 7636 §4.4.1):
 * - a required challenge is missing;
 * - `code_challenge_method` without `code_challenge`;
 * - a method other than `S256`/`plain` (names are case-sensitive), or `plain` when not enabled —
 *   an absent method means `plain` (RFC 7636 §4.3), so it is refused too unless plain is enabled;
 * - a challenge that does not fit its method's syntax.
 */
export function parseCodeChallenge(
  params: { code_challenge?: string; code_challenge_method?: string },
  options: ParseChallengeOptions = {},
): PkceChallenge | undefined {
  const challenge = params.code_challenge || undefined;
  const rawMethod = params.code_challenge_method || undefined;
  if (challenge === undefined) {
    if (rawMethod !== undefined) throw new InvalidRequest('code_challenge_method sent without code_challenge');
    if (options.required) throw new InvalidRequest('code_challenge is required for this client (PKCE)');
    return undefined;
  }
  const method = rawMethod ?? 'plain';
  if (method === 'S256') {
    if (!S256_CHALLENGE_PATTERN.test(challenge)) {
      throw new InvalidRequest('code_challenge must be 43 base64url characters for S256');
    }
    return { challenge, method };
  }
  if (method === 'plain') {
    if (!options.allowPlain) throw new InvalidRequest('code_challenge_method plain is not supported; use S256');
    if (!CODE_VERIFIER_PATTERN.test(challenge)) {
      throw new InvalidRequest('code_challenge must be 43-128 characters of [A-Za-z0-9-._~]');
    }
    return { challenge, method };
  }
  throw new InvalidRequest('unsupported code_challenge_method; use S256');
}

/**
 * Checks the `code_verifier` of a token request against what was stored with the code; returns
 * normally on success and throws otherwise.
 * - Verifier syntax (RFC 7636 §4.1) -> `invalid_request` (malformed parameter, RFC 6749 §5.2).
 * - A verifier when no challenge was stored -> `invalid_grant`: RFC 9700 §2.1.1 requires rejecting it,
 *   or an attacker could strip the challenge from a victim's request (PKCE downgrade, RFC 9700 §4.8).
 * - A stored challenge and no verifier -> `invalid_grant`: the code is bound to a verifier.
 * - A stored `plain` challenge while plain is disabled (or an unknown stored method) -> `invalid_grant`.
 * - Mismatch -> `invalid_grant` (RFC 7636 §4.6), compared in constant time.
 */
export function verifyCodeVerifier(
  stored: PkceChallenge | null | undefined,
  verifier: string | undefined,
  options: PkceOptions = {},
): void {
  if (verifier !== undefined && verifier !== '' && !CODE_VERIFIER_PATTERN.test(verifier)) {
    throw new InvalidRequest('code_verifier must be 43-128 characters of [A-Za-z0-9-._~]');
  }
  const sent = verifier !== undefined && verifier !== '' ? verifier : undefined;
  if (!stored) {
    if (sent !== undefined) throw new InvalidGrant('code_verifier sent but the authorization request had no code_challenge');
    return;
  }
  if (sent === undefined) throw new InvalidGrant('code_verifier required: the authorization request used PKCE');
  let expected: string;
  if (stored.method === 'S256') expected = computeS256Challenge(sent);
  else if (stored.method === 'plain' && options.allowPlain) expected = sent;
  else throw new InvalidGrant(`code_challenge_method ${String(stored.method)} is not supported`);
  if (!constantTimeEqual(expected, stored.challenge)) throw new InvalidGrant('PKCE verification failed');
}
