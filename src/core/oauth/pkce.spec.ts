import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidGrant, InvalidRequest } from './errors';
import { CODE_VERIFIER_PATTERN, computeS256Challenge, parseCodeChallenge, verifyCodeVerifier, type PkceChallenge } from './pkce';

const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const PLAIN = 'a'.repeat(43);

type ErrorClass = typeof InvalidRequest | typeof InvalidGrant;

describe('S256 (RFC 7636 Appendix B)', () => {
  it('computes the RFC vector', () => {
    assert.equal(computeS256Challenge(VERIFIER), CHALLENGE);
  });
});

describe('code_verifier syntax (RFC 7636 §4.1)', () => {
  const cases: Array<[string, boolean]> = [
    ['a'.repeat(43), true],
    ['a'.repeat(128), true],
    ['a'.repeat(42), false],
    ['a'.repeat(129), false],
    ['A-Z.a_z~0' + '9'.repeat(34), true],
    ['a'.repeat(42) + '+', false],
    ['a'.repeat(42) + '/', false],
    ['a'.repeat(42) + '=', false],
    ['a'.repeat(42) + ' ', false],
  ];
  for (const [verifier, ok] of cases) {
    it(`${verifier.length} chars ending ${JSON.stringify(verifier.slice(-1))}: ${ok ? 'valid' : 'invalid'}`, () => {
      assert.equal(CODE_VERIFIER_PATTERN.test(verifier), ok);
    });
  }
});

describe('parseCodeChallenge (authorization request)', () => {
  const ok: Array<[string, { code_challenge?: string; code_challenge_method?: string }, object, PkceChallenge | undefined]> = [
    ['S256', { code_challenge: CHALLENGE, code_challenge_method: 'S256' }, {}, { challenge: CHALLENGE, method: 'S256' }],
    ['no PKCE, optional', {}, {}, undefined],
    ['empty params count as absent', { code_challenge: '', code_challenge_method: '' }, {}, undefined],
    ['plain when enabled', { code_challenge: PLAIN, code_challenge_method: 'plain' }, { allowPlain: true }, { challenge: PLAIN, method: 'plain' }],
    ['absent method = plain, when enabled', { code_challenge: PLAIN }, { allowPlain: true }, { challenge: PLAIN, method: 'plain' }],
  ];
  for (const [name, params, options, expected] of ok) {
    it(`accepts: ${name}`, () => {
      assert.deepEqual(parseCodeChallenge(params, options), expected);
    });
  }

  const bad: Array<[string, { code_challenge?: string; code_challenge_method?: string }, object, RegExp]> = [
    ['missing when required', {}, { required: true }, /required/],
    ['method without challenge', { code_challenge_method: 'S256' }, {}, /without code_challenge/],
    ['plain when not enabled', { code_challenge: PLAIN, code_challenge_method: 'plain' }, {}, /plain is not supported/],
    ['absent method (= plain) when plain not enabled', { code_challenge: PLAIN }, {}, /plain is not supported/],
    ['lower-case s256', { code_challenge: CHALLENGE, code_challenge_method: 's256' }, {}, /unsupported/],
    ['unknown method', { code_challenge: CHALLENGE, code_challenge_method: 'S512' }, {}, /unsupported/],
    ['S256 challenge too short', { code_challenge: CHALLENGE.slice(1), code_challenge_method: 'S256' }, {}, /43 base64url/],
    ['S256 challenge with padding', { code_challenge: CHALLENGE.slice(1) + '=', code_challenge_method: 'S256' }, {}, /43 base64url/],
    ['plain challenge too short', { code_challenge: 'short', code_challenge_method: 'plain' }, { allowPlain: true }, /43-128/],
  ];
  for (const [name, params, options, message] of bad) {
    it(`rejects with invalid_request: ${name}`, () => {
      assert.throws(() => parseCodeChallenge(params, options), (err: unknown) => {
        assert.ok(err instanceof InvalidRequest);
        assert.equal(err.toBody().error, 'invalid_request');
        assert.match(err.description, message);
        return true;
      });
    });
  }
});

describe('verifyCodeVerifier (token request)', () => {
  const s256: PkceChallenge = { challenge: CHALLENGE, method: 'S256' };
  const plain: PkceChallenge = { challenge: PLAIN, method: 'plain' };

  it('accepts the RFC vector verifier for its stored challenge', () => {
    assert.doesNotThrow(() => verifyCodeVerifier(s256, VERIFIER));
  });
  it('accepts no verifier when no challenge was stored', () => {
    assert.doesNotThrow(() => verifyCodeVerifier(undefined, undefined));
    assert.doesNotThrow(() => verifyCodeVerifier(null, ''));
  });
  it('accepts a plain verifier when plain is enabled', () => {
    assert.doesNotThrow(() => verifyCodeVerifier(plain, PLAIN, { allowPlain: true }));
  });

  const failures: Array<[string, PkceChallenge | undefined, string | undefined, object, ErrorClass, RegExp]> = [
    ['verifier sent but no challenge stored (downgrade)', undefined, VERIFIER, {}, InvalidGrant, /no code_challenge/],
    ['challenge stored but no verifier', s256, undefined, {}, InvalidGrant, /code_verifier required/],
    ['wrong verifier', s256, VERIFIER.replace('d', 'e'), {}, InvalidGrant, /PKCE verification failed/],
    ['the challenge itself sent as verifier', s256, CHALLENGE, {}, InvalidGrant, /PKCE verification failed/],
    ['verifier too short', s256, VERIFIER.slice(1), {}, InvalidRequest, /43-128/],
    ['verifier with a bad character', s256, VERIFIER.slice(1) + '+', {}, InvalidRequest, /43-128/],
    ['plain stored but plain disabled', plain, PLAIN, {}, InvalidGrant, /plain is not supported/],
    ['plain mismatch', plain, 'b'.repeat(43), { allowPlain: true }, InvalidGrant, /PKCE verification failed/],
  ];
  for (const [name, stored, verifier, options, errorClass, message] of failures) {
    it(`rejects: ${name}`, () => {
      assert.throws(() => verifyCodeVerifier(stored, verifier, options), (err: unknown) => {
        assert.ok(err instanceof errorClass, `expected ${errorClass.name}, got ${String(err)}`);
        assert.equal((err as InvalidGrant).status, 400);
        assert.match((err as InvalidGrant).description, message);
        return true;
      });
    });
  }
});
