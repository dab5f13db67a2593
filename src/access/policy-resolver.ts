import type { Reflector } from '@nestjs/core';
import type { AccessPolicy, L402Requirement } from './access-policy';
import { ADMIN_KEY, EITHER_KEY, L402_KEY, PUBLIC_KEY, SCOPES_KEY } from './access.decorators';

/**
 * The policy a handler declares, else the one its class declares — each taken whole, never mixed key by key
 * (a class-level @RequireScopes must not silently replace a handler's @AdminOnly). `undefined` means the
 * route declared nothing and is denied; the route-walk test keeps that from shipping.
 */
export function resolveDeclaredPolicy(reflector: Reflector, targets: [Function, Function]): AccessPolicy | undefined {
  return declaredOn(reflector, targets[0]) ?? declaredOn(reflector, targets[1]);
}

function declaredOn(reflector: Reflector, target: Function): AccessPolicy | undefined {
  const get = <T>(key: string): T | undefined => reflector.get<T>(key, target);
  const either = get<AccessPolicy>(EITHER_KEY);
  if (either) return either;
  const scopeList = get<string[]>(SCOPES_KEY);
  const l402 = get<L402Requirement>(L402_KEY);
  if (scopeList && l402) return { mode: 'both', scopes: scopeList, l402 };
  if (scopeList) return { mode: 'oauth', scopes: scopeList };
  if (l402) return { mode: 'l402', l402 };
  if (get<boolean>(ADMIN_KEY)) return { mode: 'admin' };
  if (get<boolean>(PUBLIC_KEY)) return { mode: 'none' };
  return undefined;
}
