import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from './errors';
import { mergeQueryAndBody, readParam, requireParam } from './params';

describe('readParam (RFC 6749 §3.1, §3.2)', () => {
  const cases: Array<[Record<string, unknown> | undefined, string | undefined]> = [
    [undefined, undefined],
    [{}, undefined],
    [{ code: null }, undefined],
    [{ code: '' }, undefined], // a parameter without a value counts as omitted
    [{ code: 'abc' }, 'abc'],
    [{ code: ['abc'] }, 'abc'],
    [{ code: [''] }, undefined],
  ];
  for (const [params, expected] of cases) {
    it(`${JSON.stringify(params)} -> ${JSON.stringify(expected)}`, () => {
      assert.equal(readParam(params, 'code'), expected);
    });
  }
  it('rejects a repeated parameter', () => {
    assert.throws(() => readParam({ code: ['a', 'b'] }, 'code'), { name: 'InvalidRequest', message: 'parameter code must not be repeated' });
  });
  it('rejects a non-string value', () => {
    assert.throws(() => readParam({ code: { nested: 1 } }, 'code'), InvalidRequest);
    assert.throws(() => readParam({ code: 5 }, 'code'), InvalidRequest);
  });
  it('requireParam names the missing parameter', () => {
    assert.equal(requireParam({ grant_type: 'refresh_token' }, 'grant_type'), 'refresh_token');
    assert.throws(() => requireParam({ grant_type: '' }, 'grant_type'), {
      name: 'InvalidRequest',
      message: 'missing required parameter: grant_type',
    });
  });
});

describe('mergeQueryAndBody (the token request as Alby reads it)', () => {
  it('takes parameters from either place', () => {
    assert.deepEqual(mergeQueryAndBody({ grant_type: 'refresh_token' }, { refresh_token: 'r' }), { grant_type: 'refresh_token', refresh_token: 'r' });
    assert.deepEqual(mergeQueryAndBody({ code: 'c' }, undefined), { code: 'c' });
    assert.deepEqual(mergeQueryAndBody(undefined, { code: 'c' }), { code: 'c' });
  });
  it('reads a parameter given twice with the same value once', () => {
    assert.deepEqual(mergeQueryAndBody({ code: 'c' }, { code: 'c' }), { code: 'c' });
    assert.deepEqual(mergeQueryAndBody({ code: ['c'] }, { code: 'c' }), { code: 'c' });
  });
  it('an empty value counts as omitted and never conflicts', () => {
    assert.deepEqual(mergeQueryAndBody({ code: 'c' }, { code: '' }), { code: 'c' });
    assert.deepEqual(mergeQueryAndBody({ code: '' }, { code: 'c' }), { code: 'c' });
  });
  it('refuses different values, naming the parameter but not the values', () => {
    assert.throws(() => mergeQueryAndBody({ code: 'secret-a' }, { code: 'secret-b' }), (err: Error) => {
      assert.ok(err instanceof InvalidRequest);
      assert.equal(err.message, 'parameter code is given in the query and the body with different values');
      return true;
    });
  });
  it('refuses client_secret in the query, even when the body carries the same one', () => {
    for (const body of [{}, { client_secret: 's' }]) {
      assert.throws(() => mergeQueryAndBody({ client_secret: 's' }, body), {
        name: 'InvalidRequest',
        message: 'client_secret must not be sent in the query string (RFC 6749 §2.3.1)',
      });
    }
  });
  it('keeps a parameter repeated inside one part repeated, for readParam to refuse', () => {
    const merged = mergeQueryAndBody({ code: ['a', 'b'] }, {});
    assert.throws(() => readParam(merged, 'code'), { message: 'parameter code must not be repeated' });
  });
});
