import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidScope } from './errors';
import {
  assertScopeSubset,
  formatScope,
  isScopeSubset,
  isScopeToken,
  missingScopes,
  narrowScopes,
  normalizeScopes,
  parseScope,
  scopesForError,
} from './scopes';

describe('scope grammar (RFC 6749 §3.3)', () => {
  const tokens: Array<[string, boolean]> = [
    ['balance:read', true],
    ['!', true], // %x21, lowest allowed
    ['#', true], // %x23, first after the excluded "
    ['[', true], // %x5B, last before the excluded \
    [']', true], // %x5D, first after the excluded \
    ['~', true], // %x7E, highest allowed
    ['a,b', true], // a comma is a scope-token character: "a,b" is ONE scope
    ['', false],
    ['"', false], // %x22
    ['\\', false], // %x5C
    [' ', false],
    ['a\tb', false],
    ['\x7F', false],
    ['é', false],
  ];
  for (const [token, valid] of tokens) {
    it(`${JSON.stringify(token)} is ${valid ? 'a' : 'not a'} scope-token`, () => {
      assert.equal(isScopeToken(token), valid);
    });
  }

  const parses: Array<[string | undefined, string[]]> = [
    [undefined, []],
    ['', []],
    ['balance:read', ['balance:read']],
    ['payments:send balance:read', ['balance:read', 'payments:send']],
    ['balance:read balance:read', ['balance:read']],
    ['  balance:read   invoices:read ', ['balance:read', 'invoices:read']],
    ['B a', ['B', 'a']], // byte order, upper case first
  ];
  for (const [input, expected] of parses) {
    it(`parseScope(${JSON.stringify(input)}) -> ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(parseScope(input), expected);
    });
  }

  for (const bad of ['balance:read\tinvoices:read', 'balance:read\ninvoices:read', 'say"hi"', 'back\\slash', 'caf\u00e9']) {
    it(`parseScope(${JSON.stringify(bad)}) is invalid_scope`, () => {
      assert.throws(() => parseScope(bad), (err: unknown) => {
        assert.ok(err instanceof InvalidScope);
        assert.equal(err.status, 400);
        assert.equal(err.toBody().error, 'invalid_scope');
        assert.equal(err.description, 'scope holds a token outside the RFC 6749 §3.3 scope-token grammar');
        assert.ok(!err.description.includes(bad), 'the token is not echoed');
        return true;
      });
    });
  }
});

describe('normalize and format', () => {
  it('gives the same list whatever the input order', () => {
    assert.deepEqual(normalizeScopes(['b', 'a', 'c', 'a']), ['a', 'b', 'c']);
    assert.deepEqual(normalizeScopes(['c', 'a', 'b']), ['a', 'b', 'c']);
  });
  it('formats as single-space separated, sorted, deduplicated', () => {
    assert.equal(formatScope(['payments:send', 'balance:read', 'payments:send']), 'balance:read payments:send');
    assert.equal(formatScope([]), '');
  });
  it('round-trips parse(format(x))', () => {
    const scopes = ['invoices:create', 'account:read', 'balance:read'];
    assert.deepEqual(parseScope(formatScope(scopes)), normalizeScopes(scopes));
  });
  it('refuses to format a malformed scope', () => {
    assert.throws(() => formatScope(['ok', 'not ok']), InvalidScope);
  });
});

describe('subsets and narrowing', () => {
  const granted = ['balance:read', 'invoices:read', 'payments:send'];
  const subsetCases: Array<[string[], boolean]> = [
    [[], true],
    [['balance:read'], true],
    [['payments:send', 'balance:read'], true],
    [['balance:read', 'invoices:create'], false],
    [['admin'], false],
  ];
  for (const [requested, expected] of subsetCases) {
    it(`${JSON.stringify(requested)} ${expected ? 'is' : 'is not'} within the grant`, () => {
      assert.equal(isScopeSubset(requested, granted), expected);
    });
  }

  it('missingScopes lists what is absent, in the required order, once', () => {
    assert.deepEqual(missingScopes(['x', 'balance:read', 'a', 'x'], granted), ['x', 'a']);
  });

  it('assertScopeSubset counts the extra scopes without naming them', () => {
    assert.throws(() => assertScopeSubset(['balance:read', 'invoices:create'], granted), {
      name: 'InvalidScope',
      message: 'scope asks for 1 scope beyond what is allowed',
    });
    assert.doesNotThrow(() => assertScopeSubset(['balance:read'], granted));
  });

  const narrowCases: Array<[string | undefined, string[]]> = [
    [undefined, ['balance:read', 'invoices:read', 'payments:send']], // omitted = original grant (RFC 6749 §6)
    ['', ['balance:read', 'invoices:read', 'payments:send']], // empty = omitted (RFC 6749 §3.1)
    ['balance:read', ['balance:read']],
    ['payments:send invoices:read', ['invoices:read', 'payments:send']],
  ];
  for (const [requested, expected] of narrowCases) {
    it(`refresh with scope=${JSON.stringify(requested)} -> ${expected.join(' ')}`, () => {
      assert.deepEqual(narrowScopes(requested, granted), expected);
    });
  }

  it('refresh may not widen the grant', () => {
    assert.throws(() => narrowScopes('balance:read invoices:create', granted), (err: unknown) => {
      assert.ok(err instanceof InvalidScope);
      assert.equal(err.description, 'scope asks for 1 scope beyond what is originally granted');
      return true;
    });
  });
});

describe('scopesForError', () => {
  it('counts scopes and never names them', () => {
    assert.equal(scopesForError(['<script>alert(1)</script>']), '1 scope');
    assert.equal(scopesForError(['a:b', 'c:d']), '2 scopes');
    assert.equal(scopesForError(Array.from({ length: 25 }, (_, i) => `s${i}`)), '25 scopes');
  });

  it('keeps an invalid_scope description small whatever the request held', () => {
    const huge = Array.from({ length: 5000 }, (_, i) => `wallet:${'z'.repeat(200)}${i}`);
    assert.throws(() => assertScopeSubset(huge, ['balance:read']), (err: InvalidScope) => err.description.length < 1000);
    assert.throws(() => parseScope(`${'y'.repeat(10_000)}"`), (err: InvalidScope) => err.description.length < 100);
  });
});
