import { Inject, Injectable } from '@nestjs/common';
import { localUserId } from '../accounts/account.identity';
import { logger } from '../common/logger';
import { AUTHORIZATION_FLOW, AuthorizationFlowPort } from './authorization-flow.port';
import { BrowserRequest, BrowserSessions } from './browser.sessions';
import { csrfRefused } from './login-flow.service';
import { authorizePageUrl, LOGIN_PATHS, MAX_AUTHORIZATION_QUERY_LENGTH } from '../common/login.paths';
import { page, PageResult, redirect } from '../common/html/page.result';
import { renderConnectedAppsPage } from './pages/connected-apps.page';
import { renderSignInPage } from './pages/sign-in.page';
import { SignInService } from './sign-in.service';

/**
 * The pages a user reaches without an app: sign in at /login, the connected-apps list with its Revoke
 * buttons (the same revocation as `DELETE /clients/:clientId`), and sign out.
 */
@Injectable()
export class AccountPagesService {
  constructor(
    @Inject(AUTHORIZATION_FLOW) private readonly flow: AuthorizationFlowPort,
    private readonly browser: BrowserSessions,
    private readonly signIn: SignInService,
  ) {}

  /** GET /login: the sign-in form, or the apps page when already signed in. */
  async showSignIn(req: BrowserRequest, now: Date): Promise<PageResult> {
    const ctx = await this.browser.open(req, now);
    if (ctx.account) return redirect(302, LOGIN_PATHS.apps, ctx.setCookies);
    return page(200, renderSignInPage({ action: LOGIN_PATHS.signIn, csrf: ctx.csrfToken }), ctx.setCookies);
  }

  /** POST /login: sign in, then the apps page. */
  async submitSignIn(req: BrowserRequest, now: Date): Promise<PageResult> {
    const ctx = await this.browser.open(req, now);
    if (this.browser.csrfFailure(req, ctx)) return csrfRefused(ctx);
    const outcome = await this.signIn.attempt(ctx, req.body, req.ip, now);
    if (outcome.ok) return redirect(303, LOGIN_PATHS.apps, ctx.setCookies);
    const { status, message, headers } = outcome.problem;
    const html = renderSignInPage({ action: LOGIN_PATHS.signIn, csrf: ctx.csrfToken, error: message, username: String(req.body.username ?? '') });
    return page(status, html, ctx.setCookies, headers);
  }

  /** GET /login/apps: the signed-in user's connected apps. */
  async showApps(req: BrowserRequest, now: Date): Promise<PageResult> {
    const ctx = await this.browser.open(req, now);
    if (!ctx.account) return redirect(302, LOGIN_PATHS.signIn, ctx.setCookies);
    const apps = await this.flow.listConnectedApps(localUserId(ctx.account.id));
    const q = new URLSearchParams(req.query);
    const notice = q.get('revoked') === '1' ? 'Access revoked.' : q.get('budget') === '1' ? 'Budget changed.' : undefined;
    const error = q.get('budget') === 'invalid' ? 'Enter the budget as a whole number of sats, at least 1.' : undefined;
    const html = renderConnectedAppsPage({
      revokeAction: LOGIN_PATHS.revoke,
      budgetAction: LOGIN_PATHS.budget,
      ...(error ? { error } : {}),
      logoutAction: LOGIN_PATHS.logout,
      csrf: ctx.csrfToken,
      username: ctx.account.username,
      apps,
      notice,
    });
    return page(200, html, ctx.setCookies);
  }

  /** POST /login/apps/revoke: revokes the user's grants to `client_id`, then back to the list. */
  async revoke(req: BrowserRequest, now: Date): Promise<PageResult> {
    const ctx = await this.browser.open(req, now);
    if (this.browser.csrfFailure(req, ctx)) return csrfRefused(ctx);
    if (!ctx.account) return redirect(303, LOGIN_PATHS.signIn, ctx.setCookies);
    const clientId = typeof req.body.client_id === 'string' ? req.body.client_id : '';
    if (clientId) {
      await this.flow.revokeApp(localUserId(ctx.account.id), clientId);
      logger.info({ accountId: ctx.account.id, clientId }, 'app revoked by user');
    }
    return redirect(303, `${LOGIN_PATHS.apps}?revoked=1`, ctx.setCookies);
  }

  /**
   * POST /login/apps/budget: the user sets the spending budget of their grants to `client_id` (raising it is
   * theirs to decide; the renewal stays). Back to the list saying what happened.
   */
  async setBudget(req: BrowserRequest, now: Date): Promise<PageResult> {
    const ctx = await this.browser.open(req, now);
    if (this.browser.csrfFailure(req, ctx)) return csrfRefused(ctx);
    if (!ctx.account) return redirect(303, LOGIN_PATHS.signIn, ctx.setCookies);
    const clientId = typeof req.body.client_id === 'string' ? req.body.client_id : '';
    const raw = typeof req.body.budget_max_sat === 'string' ? req.body.budget_max_sat.trim().replace(/[,_\s]/g, '') : '';
    if (!/^\d{1,15}$/.test(raw) || Number(raw) < 1) return redirect(303, `${LOGIN_PATHS.apps}?budget=invalid`, ctx.setCookies);
    if (clientId) {
      await this.flow.setAppBudget(localUserId(ctx.account.id), clientId, Number(raw));
      logger.info({ accountId: ctx.account.id, clientId, maxAmountSat: Number(raw) }, 'budget changed by user');
    }
    return redirect(303, `${LOGIN_PATHS.apps}?budget=1`, ctx.setCookies);
  }

  /**
   * POST /login/logout: ends the session; back to the authorization request when one is given (re-encoded,
   * so whatever the field holds makes a valid Location; an oversized one is dropped).
   */
  async logout(req: BrowserRequest, now: Date): Promise<PageResult> {
    const ctx = await this.browser.open(req, now);
    if (this.browser.csrfFailure(req, ctx)) return csrfRefused(ctx);
    await this.browser.signOut(ctx);
    const request = typeof req.body.request === 'string' ? req.body.request : undefined;
    const back = request !== undefined && request.length <= MAX_AUTHORIZATION_QUERY_LENGTH ? authorizePageUrl(request) : LOGIN_PATHS.signIn;
    return redirect(303, back, ctx.setCookies);
  }
}
