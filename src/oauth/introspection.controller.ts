import { Controller, Get, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../access/access.decorators';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import type { Principal } from '../access/principal';
import { NoStoreInterceptor } from './cors.interceptor';
import { type AlbyIntrospection, TokenEndpointService } from './token-endpoint.service';

/**
 * Alby's `GET /oauth/token/introspect`: the caller shows its own access token as a bearer. `@RequireScopes()`
 * with no scope means "any valid access token", so the guard answers RFC 6750 401s exactly as elsewhere.
 */
@ApiTags('oauth')
@Controller('oauth/token')
export class AlbyIntrospectionController {
  constructor(private readonly endpoint: TokenEndpointService) {}

  @RequireScopes()
  @UseInterceptors(NoStoreInterceptor)
  @Get('introspect')
  introspect(@CurrentPrincipal() principal: Principal): Promise<AlbyIntrospection> {
    return this.endpoint.describe(principal.oauth!);
  }
}
