import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { GuardedRequest } from './access.guard';
import type { Principal } from './principal';

/** The Principal the AccessGuard established for this request. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest<GuardedRequest>().principal ?? {},
);
