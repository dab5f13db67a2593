import { Controller, Get, Post, Req, Res, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../access/access.decorators';
import { logger } from '../common/logger';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../database/database-unavailable';
import { AccountPagesService } from './account-pages.service';
import type { BrowserRequest } from './browser.sessions';
import { LoginFlowService } from './login-flow.service';
import { page, PageResult, writePage } from '../common/html/page.result';
import { renderErrorPage } from './pages/error.page';
import { CLOCK } from '../common/clock.module';
import type { Clock } from '../core/clock';

/**
 * Server-rendered pages for people in a browser. Public at the guard: each page checks the session cookie
 * itself and every form carries a CSRF token. Errors become an HTML page, never JSON.
 */
@ApiExcludeController()
@Public()
@Controller('login')
export class LoginController {
  constructor(
    private readonly flow: LoginFlowService,
    private readonly pages: AccountPagesService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('authorize')
  async authorizePage(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.respond(req, reply, (r, now) => this.flow.show(r, now));
  }

  @Post('authorize')
  async authorizeForm(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.respond(req, reply, (r, now) => this.flow.submit(r, now));
  }

  @Get()
  async signInPage(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.respond(req, reply, (r, now) => this.pages.showSignIn(r, now));
  }

  @Post()
  async signInForm(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.respond(req, reply, (r, now) => this.pages.submitSignIn(r, now));
  }

  @Get('apps')
  async appsPage(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.respond(req, reply, (r, now) => this.pages.showApps(r, now));
  }

  @Post('apps/revoke')
  async revokeForm(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.respond(req, reply, (r, now) => this.pages.revoke(r, now));
  }

  @Post('apps/budget')
  async budgetForm(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.respond(req, reply, (r, now) => this.pages.setBudget(r, now));
  }

  @Post('logout')
  async logoutForm(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.respond(req, reply, (r, now) => this.pages.logout(r, now));
  }

  /**
   * Runs a handler at the injected clock's now (sessions, throttle windows and codes all follow the one
   * CLOCK) and writes its page; an unexpected failure is a generic 500 page with the cause logged.
   */
  private async respond(req: FastifyRequest, reply: FastifyReply, handler: (r: BrowserRequest, now: Date) => Promise<PageResult>): Promise<void> {
    let result: PageResult;
    try {
      result = await handler(browserRequest(req), this.clock.now());
    } catch (err) {
      if (isDatabaseUnavailable(err)) {
        logger.warn({ reqId: req.id, err: (err as Error).message }, 'login page: database unavailable');
        const html = renderErrorPage({ title: 'Temporarily unavailable', message: 'satgate cannot reach its database. Try again in a moment.' });
        writePage(reply, page(503, html, [], { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) }));
        return;
      }
      logger.error({ reqId: req.id, err: (err as Error).message, stack: (err as Error).stack }, 'login page failed');
      result = page(500, renderErrorPage({ title: 'Something went wrong', message: 'satgate could not complete this step. Try again in a moment.' }));
    }
    writePage(reply, result);
  }
}

/** The framework-free view of a request the services work on. */
function browserRequest(req: FastifyRequest): BrowserRequest {
  const q = req.url.indexOf('?');
  const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
  return { query: q < 0 ? '' : req.url.slice(q + 1), body, cookieHeader: req.headers.cookie, ip: req.ip };
}

