import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LocalAccount } from '../accounts/account.entity';
import { AccountsService } from '../accounts/accounts.service';
import { generateOpaqueToken, hashSecret } from '../core/oauth';
import { SessionsRepository } from './sessions.repository';

/** How long a sign-in lasts. Long enough to authorize a few apps in one sitting, short enough to expire by tomorrow. */
export const SESSION_LIFETIME_SECONDS = 12 * 60 * 60;

/** A new session: the raw id goes into the cookie once and is never stored. */
export interface StartedSession {
  token: string;
  expiresAt: Date;
}

/**
 * Browser sessions of local accounts, kept in Postgres (any instance serves any request). A session is
 * valid while unexpired and its account exists and is not disabled.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly accounts: AccountsService,
  ) {}

  /** Starts a session for the account (the caller drops any previous one: no session fixation). */
  async start(accountId: string, now: Date): Promise<StartedSession> {
    await this.sessions.deleteExpired(now);
    const token = generateOpaqueToken();
    const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_SECONDS * 1000);
    await this.sessions.insert({ id: randomUUID(), tokenHash: hashSecret(token), accountId, expiresAt });
    return { token, expiresAt };
  }

  /** The signed-in account for a cookie value, or undefined (unknown, expired, account gone or disabled). */
  async resolve(token: string | undefined, now: Date): Promise<LocalAccount | undefined> {
    if (!token || token.length > 128) return undefined;
    const session = await this.sessions.findByTokenHash(hashSecret(token));
    if (!session) return undefined;
    if (session.expiresAt.getTime() <= now.getTime()) {
      await this.sessions.deleteByTokenHash(session.tokenHash);
      return undefined;
    }
    return this.accounts.findActive(session.accountId);
  }

  /** Signs one browser out. */
  async end(token: string | undefined): Promise<void> {
    if (token && token.length <= 128) await this.sessions.deleteByTokenHash(hashSecret(token));
  }

  /** Signs every browser of the account out (disabled, or password reset by an administrator). */
  async endAllFor(accountId: string): Promise<void> {
    await this.sessions.deleteForAccount(accountId);
  }
}
