import { Injectable, Inject } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { logger } from '../common/logger';
import { LocalAccount } from './account.entity';
import { AccountCreateDto, AccountPasswordResetDto, AccountView, toAccountView } from './account.dto';
import { isUuid, localUserId, normalizeUsername, PASSWORD_MAX_LENGTH } from './account.identity';
import { AccountNotFound, SignInRefused, UsernameTaken } from './accounts.errors';
import { AccountsRepository } from './accounts.repository';
import { PasswordHasher } from './password.hasher';
import { CLOCK } from '../common/clock.module';
import type { Clock } from '../core/clock';

/**
 * Something that happened to an account which other modules must act on: the login module ends the
 * account's browser sessions and revokes its OAuth grants when it is disabled, and ends sessions when an
 * administrator resets the password (someone else may know the old one).
 */
export interface AccountEvent {
  kind: 'disabled' | 'password_reset';
  accountId: string;
  /** `local:<id>`, as grants record it. */
  userId: string;
}

/**
 * A handler of account events. Every handler runs; if one fails the call that caused the event fails too
 * (after the change was stored), so the administrator sees it and repeats the idempotent call.
 */
export type AccountEventHandler = (event: AccountEvent) => Promise<void> | void;

/** A password satgate made up: 20 base64url characters (120 random bits), shown once. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}

/** The rules for local accounts: creation, administration, and checking a password at sign-in. */
@Injectable()
export class AccountsService {
  private readonly handlers: AccountEventHandler[] = [];

  constructor(
    private readonly accounts: AccountsRepository,
    private readonly hasher: PasswordHasher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Registers a handler for account events (login module: sessions and grants). */
  subscribe(handler: AccountEventHandler): void {
    this.handlers.push(handler);
  }

  /** Creates an account; a clash on the username is a 409 naming the field. */
  async create(dto: AccountCreateDto): Promise<AccountView> {
    const username = normalizeUsername(dto.username);
    const generated = dto.password === undefined ? generatePassword() : undefined;
    const password = dto.password ?? generated!;
    const now = this.clock.now();
    const id = randomUUID();
    const created = await this.accounts.insertIfAbsent({
      id,
      username,
      passwordHash: await this.hasher.hash(password),
      passwordChangedAt: now,
    });
    if (!created) throw new UsernameTaken(username);
    return toAccountView(await this.require(id), generated);
  }

  /** Creates the account with this password unless the username exists; true when it was created. */
  async ensure(username: string, password: string): Promise<boolean> {
    return this.accounts.insertIfAbsent({
      id: randomUUID(),
      username: normalizeUsername(username),
      passwordHash: await this.hasher.hash(password),
      passwordChangedAt: this.clock.now(),
    });
  }

  async list(): Promise<AccountView[]> {
    return (await this.accounts.list()).map((a) => toAccountView(a));
  }

  async get(id: string): Promise<AccountView> {
    return toAccountView(await this.require(id));
  }

  /** Disables the account (idempotent); its sessions end and its OAuth grants are revoked by subscribers. */
  async disable(id: string): Promise<AccountView> {
    const account = await this.require(id);
    if (account.disabledAt === null) await this.accounts.setDisabled(id, this.clock.now());
    await this.emit({ kind: 'disabled', accountId: id, userId: localUserId(id) });
    return this.get(id);
  }

  /** Lets a disabled account sign in again. Grants revoked while it was disabled stay revoked. */
  async enable(id: string): Promise<AccountView> {
    await this.require(id);
    await this.accounts.setDisabled(id, null);
    return this.get(id);
  }

  /** Sets a new password (generated and returned once when none is given) and ends the account's sessions. */
  async resetPassword(id: string, dto: AccountPasswordResetDto): Promise<AccountView> {
    await this.require(id);
    const generated = dto.password === undefined ? generatePassword() : undefined;
    await this.accounts.setPasswordHash(id, await this.hasher.hash(dto.password ?? generated!), this.clock.now());
    await this.emit({ kind: 'password_reset', accountId: id, userId: localUserId(id) });
    return toAccountView(await this.require(id), generated);
  }

  /**
   * Checks a sign-in. Unknown usernames cost the same scrypt work as known ones, so timing does not tell
   * which exist. `disabled` is only decided after the password verified; the sign-in page shows it like a wrong
   * password all the same, so a guesser never learns that a password was right.
   */
  async authenticate(rawUsername: string, password: string): Promise<LocalAccount> {
    const username = normalizeUsername(rawUsername);
    // No stored password is longer than the maximum, so hashing more than one character past it is wasted work.
    if (password.length > PASSWORD_MAX_LENGTH) password = password.slice(0, PASSWORD_MAX_LENGTH + 1);
    const account = username ? await this.accounts.findByUsername(username) : null;
    if (!account) {
      await this.hasher.verifyNothing(password);
      throw new SignInRefused('unknown_account');
    }
    if (!(await this.hasher.verify(password, account.passwordHash))) throw new SignInRefused('bad_password');
    if (account.disabledAt !== null) throw new SignInRefused('disabled');
    if (this.hasher.needsRehash(account.passwordHash)) {
      await this.accounts.setPasswordHash(account.id, await this.hasher.hash(password), account.passwordChangedAt);
    }
    return account;
  }

  /**
   * The account behind a session or an OAuth grant, or undefined when it no longer exists or is disabled. With
   * `em` the read runs inside the caller's transaction (the token endpoint checks while it holds row locks).
   */
  async findActive(id: string, em?: EntityManager): Promise<LocalAccount | undefined> {
    if (!isUuid(id)) return undefined;
    const account = await this.accounts.findById(id, em);
    return account && account.disabledAt === null ? account : undefined;
  }

  /** True when `password` is the account's current password (the demo banner checks its derived one). */
  async passwordMatches(username: string, password: string): Promise<boolean> {
    const account = await this.accounts.findByUsername(normalizeUsername(username));
    return account ? this.hasher.verify(password, account.passwordHash) : false;
  }

  private async require(id: string): Promise<LocalAccount> {
    const account = isUuid(id) ? await this.accounts.findById(id) : null;
    if (!account) throw new AccountNotFound(id);
    return account;
  }

  private async emit(event: AccountEvent): Promise<void> {
    let failure: unknown;
    for (const handler of this.handlers) {
      try {
        await handler(event);
      } catch (err) {
        logger.error({ event: event.kind, accountId: event.accountId, err: (err as Error).message }, 'account event handler failed');
        failure ??= err;
      }
    }
    if (failure !== undefined) throw failure;
  }
}
