import { Controller, Get, Inject, Options, HttpCode, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../access/access.decorators';
import { APP_CONFIG } from '../config/config.module';
import type { RuntimeConfig } from '../config/config.types';
import { ScopeRegistry } from '../core/oauth';
import { OAuthCorsInterceptor } from './cors.interceptor';
import { GrantRegistry } from './grants/grant.registry';
import { type AuthorizationServerMetadata, authorizationServerMetadata } from './server.metadata';

/** Discovery (RFC 8414) and the scope list — public documents, CORS-enabled. */
@ApiTags('oauth')
@Public()
@UseInterceptors(OAuthCorsInterceptor)
@Controller()
export class MetadataController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly scopes: ScopeRegistry,
    private readonly grants: GrantRegistry,
  ) {}

  /** `issuer` is read per request: PUBLIC_URL may be fixed up after listening on an ephemeral port. */
  @Get('.well-known/oauth-authorization-server')
  metadata(): AuthorizationServerMetadata {
    return authorizationServerMetadata(this.config.publicUrl, Object.keys(this.scopes.list()), this.grants.types());
  }

  /** scope -> description: Alby's table plus configured scopes. */
  @Get('oauth/scopes')
  list(): Record<string, string> {
    return this.scopes.list();
  }

  @Options(['.well-known/oauth-authorization-server', 'oauth/scopes'])
  @HttpCode(204)
  preflight(): void {}
}
