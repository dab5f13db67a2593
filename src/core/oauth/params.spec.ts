import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from './errors';
import { readParam, requireParam } from './params';

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
