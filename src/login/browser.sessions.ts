import { Inject, Injectable } from '@nestjs/common';
import { LocalAccount } from '../accounts/account.entity';
import { APP_CONFIG } from '../config/config.module';
import type { RuntimeConfig } from '../config/config.types';
import { parseCookies, serializeCookie } from './cookies';
import { CsrfFailure, CsrfTokens } from './csrf';
import { SESSION_LIFETIME_SECONDS, SessionsService } from './sessions.service';

/** The cookies and body of a request to a login page, independent of Fastify. */
export interface BrowserRequest {
  /** Raw query string without `?`. */
  query: string;
  body: Record<string, unknown>;
  cookieHeader: string | string[] | undefined;
  /** Client address (Fastify's `req.ip`, which honours TRUST_PROXY). */
  ip: string;
}

/** One request's browser state: who is signed in, the CSRF token for forms, and cookies to set. */
export interface BrowserContext {
  account?: LocalAccount;
  sessionToken?: string;
  csrfCookie: string;
  csrfToken: string;
  setCookies: string[];
}

/** Every login cookie is scoped to /login: the gateway forwards other paths to origins, which must never see it. */
const COOKIE_PATH = '/login';

/**
 * The browser side of login state: the session cookie (HttpOnly, SameSite=Lax, Secure and `__Secure-` named
 * when PUBLIC_URL is https) and the CSRF cookie. Sessions themselves live in Postgres (SessionsService).
 */
@Injectable()
export class BrowserSessions {
  private readonly csrf: CsrfTokens;
  private readonly secure: boolean;
  readonly sessionCookie: string;
  readonly csrfCookieName: string;

  constructor(
    @Inject(APP_CONFIG) config: RuntimeConfig,
    private readonly sessions: SessionsService,
  ) {
    this.csrf = new CsrfTokens(config.jwtSecret);
    this.secure = config.publicUrl.startsWith('https:');
    const prefix = this.secure ? '__Secure-' : '';
    this.sessionCookie = `${prefix}satgate_session`;
    this.csrfCookieName = `${prefix}satgate_csrf`;
  }

  /** Reads the cookies; issues a CSRF cookie when there is none; drops a session cookie that no longer works. */
  async open(req: BrowserRequest, now: Date): Promise<BrowserContext> {
    const cookies = parseCookies(req.cookieHeader);
    const setCookies: string[] = [];
    let csrfCookie = cookies.get(this.csrfCookieName);
    if (!csrfCookie) {
      csrfCookie = this.csrf.newCookieValue();
      setCookies.push(this.cookie(this.csrfCookieName, csrfCookie, undefined));
    }
    const sessionToken = cookies.get(this.sessionCookie);
    const account = await this.sessions.resolve(sessionToken, now);
    if (sessionToken && !account) setCookies.push(this.cookie(this.sessionCookie, '', 0));
    return { account, sessionToken: account ? sessionToken : undefined, csrfCookie, csrfToken: this.csrf.tokenFor(csrfCookie), setCookies };
  }

  /** Why a form post fails the CSRF check (token field `csrf`), or undefined when it passes. */
  csrfFailure(req: BrowserRequest): CsrfFailure | undefined {
    return this.csrf.check(parseCookies(req.cookieHeader).get(this.csrfCookieName), req.body.csrf);
  }

  /** Replaces whatever session the browser had with a new one for the account. */
  async signIn(ctx: BrowserContext, account: LocalAccount, now: Date): Promise<void> {
    await this.sessions.end(ctx.sessionToken);
    const started = await this.sessions.start(account.id, now);
    ctx.account = account;
    ctx.sessionToken = started.token;
    ctx.setCookies.push(this.cookie(this.sessionCookie, started.token, SESSION_LIFETIME_SECONDS));
  }

  /** Ends the browser's session and deletes its cookie. */
  async signOut(ctx: BrowserContext): Promise<void> {
    await this.sessions.end(ctx.sessionToken);
    ctx.account = undefined;
    ctx.sessionToken = undefined;
    ctx.setCookies.push(this.cookie(this.sessionCookie, '', 0));
  }

  private cookie(name: string, value: string, maxAge: number | undefined): string {
    return serializeCookie(name, value, { path: COOKIE_PATH, maxAge, secure: this.secure, httpOnly: true, sameSite: 'Lax' });
  }
}
