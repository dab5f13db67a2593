import type { Reflector } from '@nestjs/core';
import type { AccessPolicy, L402Requirement } from './access-policy';
import { ADMIN_KEY, DYNAMIC_POLICY_KEY, EITHER_KEY, L402_KEY, PUBLIC_KEY, SCOPES_KEY } from './access.decorators';

/** Marker for a handler whose policy comes from the request (see @DynamicPolicy). */
export const DYNAMIC = 'dynamic' as const;

/**
 * Combines a handler's (and its class's) decorators into one policy. `undefined` means the route declared
 * nothing and is denied — the route-walk test keeps that from shipping.
 */
export function resolveDeclaredPolicy(
  reflector: Reflector,
  targets: [Function, Function],
): AccessPolicy | typeof DYNAMIC | undefined {
  const get = <T>(key: string): T | undefined => reflector.getAllAndOverride<T>(key, targets);
  if (get<boolean>(DYNAMIC_POLICY_KEY)) return DYNAMIC;
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
