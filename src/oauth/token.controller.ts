import { Body, Controller, Headers, HttpCode, Options, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../access/access.decorators';
import { mergeQueryAndBody } from '../core/oauth';
import { NoStoreInterceptor, OAuthCorsInterceptor } from './cors.interceptor';
import type { TokenResponse } from './token.issuer';
import { type IntrospectionResponse, TokenEndpointService } from './token-endpoint.service';

/**
 * The client-authenticated endpoints. `@Public()` for the access guard because the *client* authenticates
 * here (Basic or body credentials, checked by the service), not a bearer token; CORS-enabled for SPAs.
 */
@ApiTags('oauth')
@Public()
@UseInterceptors(OAuthCorsInterceptor, NoStoreInterceptor)
@Controller('oauth')
export class TokenController {
  constructor(private readonly endpoint: TokenEndpointService) {}

  /**
   * RFC 6749 §3.2 — grant_type authorization_code, refresh_token or client_credentials. Parameters may come in
   * the query string as well as the form body, as Alby's service takes them and its SDK sends them (see
   * mergeQueryAndBody for the rules); introspection and revocation read the body only.
   */
  @Post('token')
  @HttpCode(200)
  token(
    @Headers('authorization') authorization: string | undefined,
    @Query() query: Record<string, unknown> | undefined,
    @Body() body: Record<string, unknown> | undefined,
  ): Promise<TokenResponse> {
    return this.endpoint.token({ authorization, body: mergeQueryAndBody(query, body) });
  }

  /** RFC 7662 token introspection. */
  @Post('introspect')
  @HttpCode(200)
  introspect(
    @Headers('authorization') authorization: string | undefined,
    @Body() body: Record<string, unknown> | undefined,
  ): Promise<IntrospectionResponse> {
    return this.endpoint.introspect({ authorization, body: body ?? {} });
  }

  /** RFC 7009 token revocation: 200 with an empty body, whatever the token. */
  @Post('revoke')
  @HttpCode(200)
  revoke(@Headers('authorization') authorization: string | undefined, @Body() body: Record<string, unknown> | undefined): Promise<void> {
    return this.endpoint.revoke({ authorization, body: body ?? {} });
  }

  /** CORS preflight; the interceptor adds the Access-Control-* headers. */
  @Options(['token', 'introspect', 'revoke'])
  @HttpCode(204)
  preflight(): void {}
}
