import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { accountIdOf } from '../accounts/account.identity';
import { AccountsService } from '../accounts/accounts.service';

/**
 * Whether a grant's resource owner may still get tokens. Disabling a local account revokes its grants, but a
 * code exchange or refresh already under way could slip between the two steps; the token endpoint asks here
 * while it holds the code or refresh token locked, so a disabled `local:` account never gets a token.
 * Origin users (Alby-style user JWTs) live in the wallet backend, which satgate cannot ask: they count as active.
 */
@Injectable()
export class ResourceOwnerStatus {
  constructor(private readonly accounts: AccountsService) {}

  /** True unless `userId` names a local account that is gone or disabled; `null` (client_credentials) is active. */
  async isActive(userId: string | null, em?: EntityManager): Promise<boolean> {
    if (userId === null) return true;
    const accountId = accountIdOf(userId);
    if (accountId === undefined) return true;
    return (await this.accounts.findActive(accountId, em)) !== undefined;
  }
}
