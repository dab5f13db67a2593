import { Inject, Injectable } from '@nestjs/common';
import { localUserId } from '../accounts/account.identity';
import { loweredBudget } from '../core/budget';
import { logger } from '../common/logger';
import {
  AUTHORIZATION_FLOW,
  AuthorizationFlowPort,
  AuthorizationRejected,
  AuthorizingUser,
  ValidatedAuthorization,
} from './authorization-flow.port';
import { BrowserContext, BrowserRequest, BrowserSessions } from './browser.sessions';
import { authorizePageUrl, LOGIN_PATHS, MAX_AUTHORIZATION_QUERY_LENGTH, queryParams } from '../common/login.paths';
import { page, PageResult, redirect } from '../common/html/page.result';
import { renderConsentPage } from './pages/consent.page';
import { renderErrorPage } from './pages/error.page';
import { renderSignInPage } from './pages/sign-in.page';
import { SignInService } from './sign-in.service';

/** The 403 page for a form post without a valid CSRF token. */
export function csrfRefused(ctx?: BrowserContext): PageResult {
  const html = renderErrorPage({
    title: 'Form expired',
    message: 'This form could not be verified (it may have expired, or come from another site). Go back, reload the page and try again.',
  });
  return page(403, html, ctx?.setCookies ?? []);
}

/**
 * The browser side of `/oauth/authorize`: sign in, then consent (skipped when an earlier grant of a
 * confidential client already covers the scopes), then back to the app with a code — or with `error=access_denied` when the user says no.
 * The authorization request travels as its raw query string (URL on GET, hidden field on POST) and is
 * validated again on every step, so nothing the browser sends is trusted beyond what validation allows.
 */
@Injectable()
export class LoginFlowService {
  constructor(
    @Inject(AUTHORIZATION_FLOW) private readonly flow: AuthorizationFlowPort,
    private readonly browser: BrowserSessions,
    private readonly signIn: SignInService,
  ) {}

  /** GET /login/authorize: the sign-in page, the consent page, or straight back to the app. */
  async show(req: BrowserRequest, now: Date): Promise<PageResult> {
    const ctx = await this.browser.open(req, now);
    const validated = await this.validate(req.query, ctx, 302);
    if (!isValidated(validated)) return validated;
    if (!ctx.account) return this.signInPage(ctx, req.query, validated, 200);
    return this.consentOrApprove(ctx, req.query, validated, 302);
  }

  /** POST /login/authorize: `action` = sign_in | approve | deny, the request in the `request` field. */
  async submit(req: BrowserRequest, now: Date): Promise<PageResult> {
    const ctx = await this.browser.open(req, now);
    const failure = this.browser.csrfFailure(req, ctx);
    if (failure) {
      logger.warn({ failure }, 'login form refused: csrf');
      return csrfRefused(ctx);
    }
    const query = typeof req.body.request === 'string' ? req.body.request : '';
    const validated = await this.validate(query, ctx, 303);
    if (!isValidated(validated)) return validated;

    switch (req.body.action) {
      case 'sign_in': {
        const outcome = await this.signIn.attempt(ctx, req.body, req.ip, now);
        if (!outcome.ok) {
          const { status, message, headers } = outcome.problem;
          return this.signInPage(ctx, query, validated, status, { error: message, username: String(req.body.username ?? '') }, headers);
        }
        return redirect(303, authorizePageUrl(query), ctx.setCookies);
      }
      case 'approve': {
        if (!ctx.account) {
          return this.signInPage(ctx, query, validated, 200, { notice: 'Your session has ended. Sign in again to continue.' });
        }
        if (!validated.budget) return redirect(303, await this.flow.approve(userOf(ctx), validated), ctx.setCookies);
        const raw = req.body.budget_max_sat;
        const chosen = loweredBudget(validated.budget, typeof raw === 'string' ? raw : undefined);
        if ('problem' in chosen) return this.consentPage(ctx, query, validated, 400, { error: chosen.problem, budgetInput: String(raw ?? '') });
        return redirect(303, await this.flow.approve(userOf(ctx), validated, chosen), ctx.setCookies);
      }
      case 'deny':
        return redirect(303, await this.flow.deny(validated), ctx.setCookies);
      default:
        return page(400, renderErrorPage({ title: 'Unknown action', message: 'The form asked for an action this page does not know.' }), ctx.setCookies);
    }
  }

  /**
   * Consent, unless a confidential client already holds a grant covering the scopes. A public client's id and
   * redirect URI are no proof of who is asking (RFC 6749 §10.2, RFC 8252 §8.6: a look-alike app can use them),
   * so its user is asked every time. A request to spend (a budget) is always shown: the budget asked for now
   * may be larger than the one approved before.
   */
  private async consentOrApprove(ctx: BrowserContext, query: string, v: ValidatedAuthorization, status: 302 | 303): Promise<PageResult> {
    const user = userOf(ctx);
    const names = v.scopes.map((s) => s.name);
    if (v.client.public === false && !v.budget && (await this.flow.previouslyApproved(user.id, v.client.clientId, names))) {
      return redirect(status, await this.flow.approve(user, v), ctx.setCookies);
    }
    return this.consentPage(ctx, query, v, 200);
  }

  private consentPage(ctx: BrowserContext, query: string, v: ValidatedAuthorization, status: number, extra: { error?: string; budgetInput?: string } = {}): PageResult {
    const html = renderConsentPage({
      action: LOGIN_PATHS.authorize,
      logoutAction: LOGIN_PATHS.logout,
      csrf: ctx.csrfToken,
      request: query,
      client: v.client,
      scopes: v.scopes,
      redirectUri: v.redirectUri,
      username: ctx.account!.username,
      ...(v.budget ? { budget: v.budget } : {}),
      ...extra,
    });
    return page(status, html, ctx.setCookies);
  }

  private signInPage(
    ctx: BrowserContext,
    query: string,
    v: ValidatedAuthorization,
    status: number,
    extra: { error?: string; notice?: string; username?: string } = {},
    headers: Record<string, string> = {},
  ): PageResult {
    const html = renderSignInPage({ action: LOGIN_PATHS.authorize, csrf: ctx.csrfToken, request: query, client: v.client, ...extra });
    return page(status, html, ctx.setCookies, headers);
  }

  /** The validated request, or the answer to give instead: back to the app with the error, or an error page. */
  private async validate(query: string, ctx: BrowserContext, status: 302 | 303): Promise<ValidatedAuthorization | PageResult> {
    if (query.length > MAX_AUTHORIZATION_QUERY_LENGTH) {
      const html = renderErrorPage({ title: 'This app cannot sign you in', message: 'The authorization request is too long.', code: 'invalid_request' });
      return page(400, html, ctx.setCookies);
    }
    try {
      return await this.flow.validate(queryParams(query));
    } catch (err) {
      if (!(err instanceof AuthorizationRejected)) throw err;
      if (err.redirectTo) return redirect(status, err.redirectTo, ctx.setCookies);
      const html = renderErrorPage({ title: 'This app cannot sign you in', message: err.description, code: err.error });
      return page(400, html, ctx.setCookies);
    }
  }
}

function isValidated(v: ValidatedAuthorization | PageResult): v is ValidatedAuthorization {
  return (v as ValidatedAuthorization).client !== undefined;
}

/** The signed-in account as OAuth grants record its owner. */
function userOf(ctx: BrowserContext): AuthorizingUser {
  return { id: localUserId(ctx.account!.id), identifier: ctx.account!.username };
}
