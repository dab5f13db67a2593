import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { INestApplication } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { resolveDeclaredPolicy } from './policy-resolver';

/** One controller route and the policy its decorators declare (or `undefined`). */
export interface DeclaredRoute {
  controller: string;
  handler: string;
  method: string;
  path: string;
  policy: ReturnType<typeof resolveDeclaredPolicy>;
}

/**
 * Lists every controller route of an app with its declared policy. The route-walk test fails on any route
 * whose policy is `undefined` (docs/style.md: deny by default, and make forgetting visible).
 */
export function walkRoutes(app: INestApplication): DeclaredRoute[] {
  const reflector = app.get(Reflector);
  const routes: DeclaredRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const ctor = wrapper.metatype as Function | undefined;
      if (!ctor?.prototype) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, ctor) ?? '');
      for (const name of Object.getOwnPropertyNames(ctor.prototype)) {
        const handler = ctor.prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const sub = Reflect.getMetadata(PATH_METADATA, handler);
        if (sub === undefined) continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
        routes.push({
          controller: ctor.name,
          handler: name,
          method: RequestMethod[method] ?? String(method),
          path: `/${[base, String(sub)].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`,
          policy: resolveDeclaredPolicy(reflector, [handler, ctor]),
        });
      }
    }
  }
  return routes;
}
