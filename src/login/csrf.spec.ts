import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CsrfTokens } from './csrf';

const csrf = new CsrfTokens('server-secret-0123456789');

test('a token verifies only with the cookie it was made for', () => {
  const cookie = csrf.newCookieValue();
  const token = csrf.tokenFor(cookie);
  assert.equal(csrf.check(cookie, token), undefined);
  assert.equal(csrf.check(csrf.newCookieValue(), token), 'mismatch');
  assert.equal(csrf.check(cookie, token.slice(0, -1)), 'mismatch');
});

test('missing cookie or token is refused with the reason', () => {
  const cookie = csrf.newCookieValue();
  assert.equal(csrf.check(undefined, csrf.tokenFor(cookie)), 'missing_cookie');
  assert.equal(csrf.check(cookie, undefined), 'missing_token');
  assert.equal(csrf.check(cookie, ''), 'missing_token');
  assert.equal(csrf.check(cookie, ['a', 'b']), 'missing_token');
});

test('tokens depend on the server secret: another deployment cannot mint them', () => {
  const cookie = 'fixed-cookie-value';
  const other = new CsrfTokens('another-secret-0123456789');
  assert.notEqual(other.tokenFor(cookie), csrf.tokenFor(cookie));
  assert.equal(csrf.check(cookie, other.tokenFor(cookie)), 'mismatch');
  assert.equal(new CsrfTokens('server-secret-0123456789').tokenFor(cookie), csrf.tokenFor(cookie), 'stable across instances');
});

test('cookie values are 256-bit random base64url', () => {
  const a = csrf.newCookieValue();
  assert.match(a, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a, csrf.newCookieValue());
});
