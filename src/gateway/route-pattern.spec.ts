import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyRewrite, checkRewrite, compilePattern, matchPattern } from './route-pattern';

test('a parameter binds exactly one raw segment', () => {
  const p = compilePattern('/invoices/:payment_hash');
  assert.deepEqual(p.params, ['payment_hash']);
  assert.deepEqual(matchPattern(p, '/invoices/abc%2F1'), { params: { payment_hash: 'abc%2F1' } });
  assert.equal(matchPattern(p, '/invoices/abc/def'), undefined);
  assert.equal(matchPattern(p, '/invoices/'), undefined);
  assert.equal(matchPattern(p, '/invoices'), undefined);
});

test('literal segments match case-insensitively and in full', () => {
  const p = compilePattern('/v1/quote');
  assert.ok(matchPattern(p, '/v1/quote'));
  assert.ok(matchPattern(p, '/v1/Quote'), 'an origin that ignores case would serve /v1/Quote as /v1/quote');
  assert.ok(matchPattern(p, '/V1/QUOTE'));
  assert.equal(matchPattern(p, '/v1/quote/'), undefined);
  assert.equal(matchPattern(p, '/v1/quotes'), undefined);
  assert.equal(matchPattern(compilePattern('/a.b'), '/aXb'), undefined, 'a dot is literal, not a regex wildcard');
});

test('a trailing * matches the prefix itself and everything below it', () => {
  const p = compilePattern('/lndhub/*');
  assert.deepEqual(matchPattern(p, '/lndhub'), { params: {}, rest: '' });
  assert.deepEqual(matchPattern(p, '/lndhub/'), { params: {}, rest: '' });
  assert.deepEqual(matchPattern(p, '/lndhub/a/b'), { params: {}, rest: 'a/b' });
  assert.equal(matchPattern(p, '/lndhubx'), undefined);
  assert.equal(compilePattern('/*').firstLiteral, undefined);
  assert.equal(compilePattern('/:tenant/x').firstLiteral, undefined);
  assert.equal(compilePattern('/oauth/x').firstLiteral, 'oauth');
});

test('malformed patterns are refused with a reason', () => {
  const cases: Array<[string, RegExp]> = [
    ['v1/quote', /start with "\/"/],
    ['/a/*/b', /last segment/],
    ['/a/:', /followed by a name/],
    ['/a/:x/:x', /twice/],
    ['/a//b', /empty segments/],
    ['/a/../b', /"\." or "\.\."/],
    ['/a b', /not allowed/],
    ['/a?x=1', /not allowed/],
  ];
  for (const [source, reason] of cases) assert.throws(() => compilePattern(source), reason, source);
});

test('rewrites fill parameters and the rest, and may only use what the path binds', () => {
  const p = compilePattern('/api/:version/*');
  checkRewrite('/:version/internal/*', p);
  assert.equal(applyRewrite('/:version/internal/*', matchPattern(p, '/api/v2/a/b')!), '/v2/internal/a/b');
  assert.equal(applyRewrite('/*', matchPattern(p, '/api/v2')!), '/');
  assert.throws(() => checkRewrite('/:other', p), /does not bind/);
  assert.throws(() => checkRewrite('/*', compilePattern('/x/:id')), /has no "\*"/);
  assert.throws(() => checkRewrite('x', p), /start with/);
});
