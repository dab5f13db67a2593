import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidScope } from './errors';
import { ALBY_ROUTE_SCOPES, ALBY_SCOPE_DESCRIPTIONS, ScopeRegistry } from './scope-registry';

describe('ScopeRegistry', () => {
  it("defaults to Alby's six scopes, sorted", () => {
    const registry = new ScopeRegistry();
    assert.deepEqual(registry.list(), {
      'account:read': 'Read your payment details like the Lightning Address and keysend information',
      'balance:read': 'Read your balance',
      'invoices:create': 'Create invoices on your behalf',
      'invoices:read': 'Read your invoice history, get realtime updates on invoices',
      'payments:send': 'Send payments from your account',
      'transactions:read': 'Read your outgoing transaction history and check payment status',
    });
    assert.deepEqual(Object.keys(registry.list()), Object.keys(ALBY_SCOPE_DESCRIPTIONS).sort());
  });

  it('merges configured scopes and lets config reword a default', () => {
    const registry = new ScopeRegistry({
      'reports:write': 'Write reports',
      'data:read': 'Read data',
      'balance:read': 'See how many sats you have',
    });
    assert.equal(registry.describe('reports:write'), 'Write reports');
    assert.equal(registry.describe('balance:read'), 'See how many sats you have');
    assert.equal(registry.has('data:read'), true);
    assert.equal(registry.has('admin'), false);
    assert.deepEqual(Object.keys(registry.list()), [
      'account:read',
      'balance:read',
      'data:read',
      'invoices:create',
      'invoices:read',
      'payments:send',
      'reports:write',
      'transactions:read',
    ]);
  });

  it('rejects bad configuration, listing every problem', () => {
    assert.throws(() => new ScopeRegistry({ 'bad scope': 'x', 'ok:scope': '  ' }), {
      name: 'TypeError',
      message:
        'invalid scope configuration: scope name "bad scope" is not an RFC 6749 scope-token; ' +
        'scope "ok:scope" needs a non-empty description',
    });
  });

  it("describes a grant's scopes in Alby's introspection shape", () => {
    const registry = new ScopeRegistry({ 'legacy:x': 'Legacy' });
    assert.deepEqual(registry.describeAll(['payments:send', 'balance:read', 'balance:read', 'gone:scope']), {
      'balance:read': 'Read your balance',
      'gone:scope': 'gone:scope',
      'payments:send': 'Send payments from your account',
    });
  });

  it('assertKnown counts the unknown scopes as invalid_scope, without naming them', () => {
    const registry = new ScopeRegistry();
    assert.doesNotThrow(() => registry.assertKnown(['balance:read', 'payments:send']));
    assert.throws(() => registry.assertKnown(['balance:read', 'admin', 'root', 'admin']), (err: unknown) => {
      assert.ok(err instanceof InvalidScope);
      assert.equal(err.description, 'scope names 2 scopes this server does not offer');
      return true;
    });
  });
});

describe("Alby's route -> scope table", () => {
  const expected: Array<[string, string, string]> = [
    ['POST', '/invoices', 'invoices:create'],
    ['GET', '/invoices/incoming', 'invoices:read'],
    ['GET', '/invoices/outgoing', 'transactions:read'],
    ['GET', '/invoices/{payment_hash}', 'invoices:create'],
    ['GET', '/balance', 'balance:read'],
    ['GET', '/user/value4value', 'account:read'],
    ['POST', '/payments/bolt11', 'payments:send'],
    ['POST', '/payments/keysend', 'payments:send'],
  ];
  it('holds exactly the rows of the Alby table, literal paths before the parameterized one', () => {
    assert.deepEqual(
      ALBY_ROUTE_SCOPES.map((r) => [r.method, r.path, r.scope]),
      expected,
    );
  });
  it('only uses scopes the default registry knows', () => {
    const registry = new ScopeRegistry();
    assert.doesNotThrow(() => registry.assertKnown(ALBY_ROUTE_SCOPES.map((r) => r.scope)));
  });
});
