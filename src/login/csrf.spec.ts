import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CsrfTokens } from './csrf';

const csrf = new CsrfTokens('server-secret-0123456789');

test('a token verifies only with the cookie it was made for', () => {
  const cookie = csrf.newCookieValue();
  const token = csrf.tokenFor(cookie);
  assert.equal(csrf.check(cookie, undefined, token), undefined);
  assert.equal(csrf.check(csrf.newCookieValue(), undefined, token), 'mismatch');
  assert.equal(csrf.check(cookie, undefined, token.slice(0, -1)), 'mismatch');
});

test('a token is bound to the session: a planted cookie and its token fail in the victim\'s session', () => {
  const planted = csrf.newCookieValue();
  const attackerToken = csrf.tokenFor(planted); // what the attacker's own sign-in page showed for that cookie
  const victimSession = 'victim-session-token';
  assert.equal(csrf.check(planted, victimSession, attackerToken), 'mismatch');
  assert.equal(csrf.check(planted, victimSession, csrf.tokenFor(planted, 'attacker-session-token')), 'mismatch');
  assert.equal(csrf.check(planted, victimSession, csrf.tokenFor(planted, victimSession)), undefined, 'only the session\'s own form passes');
  assert.equal(csrf.check(planted, undefined, csrf.tokenFor(planted, victimSession)), 'mismatch', 'a signed-in form is refused once signed out');
  // Field boundaries are length-prefixed: shifting characters between cookie and session gives another token.
  assert.notEqual(csrf.tokenFor('ab', 'c'), csrf.tokenFor('a', 'bc'));
});

test('missing cookie or token is refused with the reason', () => {
  const cookie = csrf.newCookieValue();
  assert.equal(csrf.check(undefined, undefined, csrf.tokenFor(cookie)), 'missing_cookie');
  assert.equal(csrf.check(cookie, undefined, undefined), 'missing_token');
  assert.equal(csrf.check(cookie, undefined, ''), 'missing_token');
  assert.equal(csrf.check(cookie, undefined, ['a', 'b']), 'missing_token');
});

test('tokens depend on the server secret: another deployment cannot mint them', () => {
  const cookie = 'fixed-cookie-value';
  const other = new CsrfTokens('another-secret-0123456789');
  assert.notEqual(other.tokenFor(cookie), csrf.tokenFor(cookie));
  assert.equal(csrf.check(cookie, undefined, other.tokenFor(cookie)), 'mismatch');
  assert.equal(new CsrfTokens('server-secret-0123456789').tokenFor(cookie), csrf.tokenFor(cookie), 'stable across instances');
});

test('cookie values are 256-bit random base64url', () => {
  const a = csrf.newCookieValue();
  assert.match(a, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a, csrf.newCookieValue());
});
