import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AccessDenied } from './access-denied';
import { AccessPolicy } from './access-policy';
import { PolicyEvaluator } from './policy-evaluator';
import { DYNAMIC, resolveDeclaredPolicy } from './policy-resolver';
import type { Principal } from './principal';

/** Request fields the access layer adds. */
export interface GuardedRequest extends FastifyRequest {
  principal?: Principal;
  /** Set by a policy resolver (gateway) for @DynamicPolicy handlers. */
  accessPolicy?: AccessPolicy;
}

/**
 * The one global guard (STYLE.md §1): every route declares a policy or @Public(); a route with neither is
 * refused, so forgetting a decorator can never publish an endpoint.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly evaluator: PolicyEvaluator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<GuardedRequest>();
    const declared = resolveDeclaredPolicy(this.reflector, [context.getHandler(), context.getClass()]);
    const policy = declared === DYNAMIC ? req.accessPolicy : declared;
    if (!policy) {
      throw new AccessDenied(403, { error: 'forbidden', error_description: 'this route declares no access policy' });
    }
    req.principal = await this.evaluator.evaluate(policy, req);
    return true;
  }
}
