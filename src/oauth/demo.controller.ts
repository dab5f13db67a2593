import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../access/access.decorators';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import type { Principal } from '../access/principal';

/**
 * `GET /demo/me` — the smallest route guarded by a scope: shows who the access token stands for. Handy to
 * try a token from the demo banner; harmless in production (it only echoes the caller's own principal).
 */
@ApiTags('demo')
@Controller('demo')
export class DemoController {
  @RequireScopes('account:read')
  @Get('me')
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }
}
