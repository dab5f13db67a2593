import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCookies, serializeCookie } from './cookies';

test('parseCookies reads name=value pairs, decodes values, keeps the first of a repeated name', () => {
  const c = parseCookies('a=1; satgate_session=abc%2Bdef; a=2; junk; =x; q="quoted"');
  assert.equal(c.get('a'), '1');
  assert.equal(c.get('satgate_session'), 'abc+def');
  assert.equal(c.get('q'), 'quoted');
  assert.equal(c.has('junk'), false);
  assert.equal(parseCookies(undefined).size, 0);
  assert.equal(parseCookies(['x=1', 'y=2']).get('y'), '2');
});

test('serializeCookie writes the security attributes', () => {
  assert.equal(
    serializeCookie('__Secure-satgate_session', 'tok', { path: '/login', maxAge: 3600, secure: true, httpOnly: true, sameSite: 'Lax' }),
    '__Secure-satgate_session=tok; Path=/login; Max-Age=3600; Secure; HttpOnly; SameSite=Lax',
  );
  assert.equal(
    serializeCookie('satgate_session', '', { path: '/login', maxAge: 0, secure: false, httpOnly: true, sameSite: 'Lax' }),
    'satgate_session=; Path=/login; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax',
  );
  assert.throws(() => serializeCookie('bad name', 'v', { path: '/', secure: false, httpOnly: true, sameSite: 'Lax' }), TypeError);
});
