/**
 * Errors of the accounts module, in the wire form the global error filter renders (`status` + `toBody()`),
 * each naming what went wrong.
 */

/** No account with that id. 404. */
export class AccountNotFound extends Error {
  readonly status = 404;
  constructor(readonly accountId: string) {
    super(`no account with id ${accountId}`);
    this.name = 'AccountNotFound';
  }
  toBody(): Record<string, unknown> {
    return { error: 'not_found', error_description: this.message };
  }
}

/** The username is taken. 409, naming the field like a validation error does. */
export class UsernameTaken extends Error {
  readonly status = 409;
  constructor(readonly username: string) {
    super(`username ${username} is already taken`);
    this.name = 'UsernameTaken';
  }
  toBody(): Record<string, unknown> {
    return { error: 'conflict', error_description: this.message, field: 'username' };
  }
}

/** Why a sign-in failed. Shown to the user only as one generic message, so usernames cannot be probed. */
export type SignInFailure = 'unknown_account' | 'bad_password' | 'disabled';

/** A refused sign-in with its reason (for tests and logs; the page never tells the reasons apart). */
export class SignInRefused extends Error {
  constructor(readonly reason: SignInFailure) {
    super(`sign-in refused: ${reason}`);
    this.name = 'SignInRefused';
  }
}
