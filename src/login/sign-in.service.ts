import { Injectable } from '@nestjs/common';
import { LocalAccount } from '../accounts/account.entity';
import { SignInRefused } from '../accounts/accounts.errors';
import { AccountsService } from '../accounts/accounts.service';
import { logger } from '../common/logger';
import { BrowserContext, BrowserSessions } from './browser.sessions';
import { SignInThrottle, SignInThrottled } from './sign-in.throttle';

/** A sign-in that did not work, as the page must say it. */
export interface SignInProblem {
  /** 422 for a form that did not sign in (Devise's choice for failed form posts), 429 when throttled. */
  status: 422 | 429;
  message: string;
  headers?: Record<string, string>;
}

/** Outcome of a sign-in form post. */
export type SignInOutcome = { ok: true; account: LocalAccount } | { ok: false; problem: SignInProblem };

/** What every refused sign-in says: unknown username, wrong password and disabled account read alike. */
const GENERIC_REFUSAL = 'Wrong username or password.';

/**
 * One sign-in form post: the attempt is counted and throttled first (before the slow hash), then the password,
 * then a fresh session. Wrong username, wrong password and a disabled account read the same, so the form can
 * neither probe usernames nor confirm a guessed password of a disabled account.
 */
@Injectable()
export class SignInService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly throttle: SignInThrottle,
    private readonly browser: BrowserSessions,
  ) {}

  async attempt(ctx: BrowserContext, body: Record<string, unknown>, ip: string, now: Date): Promise<SignInOutcome> {
    const username = typeof body.username === 'string' ? body.username : '';
    const password = typeof body.password === 'string' ? body.password : '';
    if (!username.trim() || !password) {
      return { ok: false, problem: { status: 422, message: 'Enter your username and password.' } };
    }
    try {
      await this.throttle.admit(username, ip, now);
    } catch (err) {
      if (!(err instanceof SignInThrottled)) throw err;
      logger.warn({ scope: err.scope, retryAfter: err.retryAfterSeconds }, 'sign-in throttled');
      const minutes = Math.ceil(err.retryAfterSeconds / 60);
      return {
        ok: false,
        problem: {
          status: 429,
          message: `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
          headers: { 'Retry-After': String(err.retryAfterSeconds) },
        },
      };
    }
    let account: LocalAccount;
    try {
      account = await this.accounts.authenticate(username, password);
    } catch (err) {
      if (!(err instanceof SignInRefused)) throw err;
      logger.info({ reason: err.reason }, 'sign-in refused');
      return { ok: false, problem: { status: 422, message: GENERIC_REFUSAL } };
    }
    await this.throttle.recordSuccess(username, ip);
    await this.browser.signIn(ctx, account, now);
    logger.info({ accountId: account.id }, 'signed in');
    return { ok: true, account };
  }
}
