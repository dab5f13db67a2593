import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authorizePageUrl, loginAuthorizeLocation, queryParams } from './login.paths';

test('queryParams decodes values and keeps repeated names as arrays (so validation can refuse them)', () => {
  assert.deepEqual(queryParams('client_id=id&scope=balance%3Aread+invoices%3Aread&state=a%26b&scope=x'), {
    client_id: 'id',
    scope: ['balance:read invoices:read', 'x'],
    state: 'a&b',
  });
  assert.deepEqual(queryParams(''), {});
});

test('authorizePageUrl keeps an encoded query as it is', () => {
  assert.equal(authorizePageUrl('client_id=id&state=s'), '/login/authorize?client_id=id&state=s');
  assert.equal(authorizePageUrl('scope=balance%3Aread+invoices%3Aread'), '/login/authorize?scope=balance%3Aread+invoices%3Aread');
  assert.equal(authorizePageUrl(''), '/login/authorize');
});

test('authorizePageUrl re-encodes a raw form value, so the Location header is always printable ASCII', () => {
  assert.equal(authorizePageUrl('a\r\nb'), '/login/authorize?a%0D%0Ab=');
  assert.equal(authorizePageUrl('state=x\r\nSet-Cookie: y=1&client_id=id'), '/login/authorize?state=x%0D%0ASet-Cookie%3A+y%3D1&client_id=id');
  assert.equal(authorizePageUrl('state=ünïcødé€'), '/login/authorize?state=%C3%BCn%C3%AFc%C3%B8d%C3%A9%E2%82%AC');
  for (const raw of ['a\u0000b', '\u2028x=\ud800', 'x=%ZZ', '%', 'a b=c d']) assert.match(authorizePageUrl(raw), /^[\x21-\x7e]+$/, JSON.stringify(raw));
});

test('loginAuthorizeLocation re-encodes parsed parameters, keeping repeats and dropping non-strings', () => {
  assert.equal(
    loginAuthorizeLocation({ client_id: 'id', scope: 'balance:read invoices:read', state: ['a', 'b'], odd: { x: 1 } }),
    '/login/authorize?client_id=id&scope=balance%3Aread+invoices%3Aread&state=a&state=b',
  );
  assert.equal(loginAuthorizeLocation({}), '/login/authorize');
});
