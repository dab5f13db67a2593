import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AccessDenied } from './access-denied';
import { PolicyEvaluator } from './policy-evaluator';
import { resolveDeclaredPolicy } from './policy-resolver';
import type { Principal } from './principal';

/** Request fields the access layer adds. */
export interface GuardedRequest extends FastifyRequest {
  principal?: Principal;
}

/**
 * The one global guard (docs/style.md, "Access"): every route declares a policy or @Public(); a route with neither is
 * refused, so forgetting a decorator can never publish an endpoint.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly evaluator: PolicyEvaluator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Only HTTP handlers exist; any other kind added later must bring its own policy, not slip through.
    if (context.getType() !== 'http') return false;
    const req = context.switchToHttp().getRequest<GuardedRequest>();
    const policy = resolveDeclaredPolicy(this.reflector, [context.getHandler(), context.getClass()]);
    if (!policy) {
      throw new AccessDenied(403, { error: 'forbidden', error_description: 'this route declares no access policy' });
    }
    req.principal = await this.evaluator.evaluate(policy, req);
    return true;
  }
}
