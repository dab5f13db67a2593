import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Reflector } from '@nestjs/core';
import { AdminOnly, l402, Public, RequireEither, RequireL402, RequireScopes, scopes } from './access.decorators';
import { resolveDeclaredPolicy } from './policy-resolver';

@RequireScopes('balance:read')
class ScopedController {
  @AdminOnly()
  admin(): void {}
  @RequireL402({ price: 5 })
  paid(): void {}
  inherits(): void {}
}

class UndeclaredController {
  @RequireScopes('reports:write')
  @RequireL402({ price: 50 })
  both(): void {}
  @RequireEither(scopes('data:read'), l402({ price: 2 }))
  either(): void {}
  @Public()
  open(): void {}
  nothing(): void {}
}

const reflector = new Reflector();
const policyOf = (cls: { prototype: object }, name: string) =>
  resolveDeclaredPolicy(reflector, [(cls.prototype as Record<string, Function>)[name], cls as unknown as Function]);

describe('resolveDeclaredPolicy', () => {
  it('takes the handler declaration whole; a class policy never overrides it', () => {
    assert.deepEqual(policyOf(ScopedController, 'admin'), { mode: 'admin' });
    assert.deepEqual(policyOf(ScopedController, 'paid'), { mode: 'l402', l402: { price: 5 } });
  });

  it('falls back to the class declaration for a handler that declares nothing', () => {
    assert.deepEqual(policyOf(ScopedController, 'inherits'), { mode: 'oauth', scopes: ['balance:read'] });
  });

  it('stacked scopes + L402 is `both`; RequireEither is `either`; Public is `none`; nothing is undefined', () => {
    assert.deepEqual(policyOf(UndeclaredController, 'both'), { mode: 'both', scopes: ['reports:write'], l402: { price: 50 } });
    assert.deepEqual(policyOf(UndeclaredController, 'either'), { mode: 'either', scopes: ['data:read'], l402: { price: 2 } });
    assert.deepEqual(policyOf(UndeclaredController, 'open'), { mode: 'none' });
    assert.equal(policyOf(UndeclaredController, 'nothing'), undefined);
  });
});
