import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AccountEvent, AccountsService } from '../accounts/accounts.service';
import { AUTHORIZATION_FLOW, AuthorizationFlowPort } from './authorization-flow.port';
import { SessionsService } from './sessions.service';

/**
 * Carries account changes into login state: a disabled account is signed out everywhere and every app it
 * authorized loses its tokens, and codes it approved but the app has not exchanged yet die with them (an
 * administrator disables an account to cut it off, not just to stop new sign-ins); a password reset by an administrator signs the account out everywhere.
 */
@Injectable()
export class AccountEventsSubscriber implements OnModuleInit {
  constructor(
    private readonly accounts: AccountsService,
    private readonly sessions: SessionsService,
    @Inject(AUTHORIZATION_FLOW) private readonly flow: AuthorizationFlowPort,
  ) {}

  onModuleInit(): void {
    this.accounts.subscribe((event) => this.handle(event));
  }

  async handle(event: AccountEvent): Promise<void> {
    await this.sessions.endAllFor(event.accountId);
    if (event.kind === 'disabled') await this.flow.revokeAllApps(event.userId);
  }
}
