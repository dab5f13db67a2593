import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../access/access.decorators';
import { isOAuthError, type RawParams } from '../core/oauth';
import { AuthorizationService } from './authorization.service';
import { sendAuthorizeErrorPage, wantsHtml } from './authorize.page';

/**
 * `GET|POST /oauth/authorize` (RFC 6749 §4.1.1). `@Public()` for the access guard: the resource owner proves
 * who they are to the AuthorizationService (user JWT today, a login page later), not with an access token.
 */
@ApiTags('oauth')
@Public()
@Controller('oauth')
export class AuthorizeController {
  constructor(private readonly authorization: AuthorizationService) {}

  @Get('authorize')
  async authorizeGet(@Query() query: Record<string, unknown>, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.respond(query, req, reply);
  }

  /** Parameters may come in the query (Alby's examples) and/or the form body; one given in both is repeated. */
  @Post('authorize')
  async authorizePost(
    @Query() query: Record<string, unknown>,
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.respond(mergeParams(query, body ?? {}), req, reply);
  }

  private async respond(params: RawParams, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    let location: string;
    try {
      location = await this.authorization.authorize(params, req);
    } catch (err) {
      if (isOAuthError(err) && err.status === 400 && wantsHtml(req)) {
        sendAuthorizeErrorPage(reply, err);
        return;
      }
      throw err;
    }
    void reply.status(302).header('Location', location).header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer').send();
  }
}

function mergeParams(query: Record<string, unknown>, body: Record<string, unknown>): RawParams {
  const merged: Record<string, unknown> = { ...query };
  for (const [key, value] of Object.entries(body)) {
    merged[key] = Object.hasOwn(merged, key) ? [merged[key], value].flat() : value;
  }
  return merged;
}
