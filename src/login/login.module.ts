import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '../accounts/accounts.module';
import { OAuthModule } from '../oauth/oauth.module';
import { AccountEventsSubscriber } from './account-events.subscriber';
import { AccountPagesService } from './account-pages.service';
import { AUTHORIZATION_FLOW } from './authorization-flow.port';
import { BrowserSessions } from './browser.sessions';
import { LoginFlowService } from './login-flow.service';
import { LoginController } from './login.controller';
import { OAuthFlowAdapter } from './oauth-flow.adapter';
import { LoginSession } from './session.entity';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';
import { SignInService } from './sign-in.service';
import { SignInThrottle } from './sign-in.throttle';
import { ThrottleCounterRow } from './throttle-counter.entity';
import { ThrottleRepository } from './throttle.repository';
import { ClockModule } from '../common/clock.module';

/**
 * Browser sign-in and consent for `/oauth/authorize`: local accounts sign in at /login/..., approve
 * or deny apps, and manage connected apps. The OAuth module is reached only through AUTHORIZATION_FLOW.
 */
@Module({
  imports: [AccountsModule, OAuthModule, ClockModule, TypeOrmModule.forFeature([LoginSession, ThrottleCounterRow])],
  controllers: [LoginController],
  providers: [
    { provide: AUTHORIZATION_FLOW, useClass: OAuthFlowAdapter },
    SessionsRepository,
    SessionsService,
    ThrottleRepository,
    SignInThrottle,
    BrowserSessions,
    SignInService,
    LoginFlowService,
    AccountPagesService,
    AccountEventsSubscriber,
  ],
})
export class LoginModule {}
