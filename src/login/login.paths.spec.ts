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

test('authorizePageUrl keeps the query as given', () => {
  assert.equal(authorizePageUrl('client_id=id&state=s'), '/login/authorize?client_id=id&state=s');
  assert.equal(authorizePageUrl(''), '/login/authorize');
});

test('loginAuthorizeLocation re-encodes parsed parameters, keeping repeats and dropping non-strings', () => {
  assert.equal(
    loginAuthorizeLocation({ client_id: 'id', scope: 'balance:read invoices:read', state: ['a', 'b'], odd: { x: 1 } }),
    '/login/authorize?client_id=id&scope=balance%3Aread+invoices%3Aread&state=a&state=b',
  );
  assert.equal(loginAuthorizeLocation({}), '/login/authorize');
});
