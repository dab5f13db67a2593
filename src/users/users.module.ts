import { Module } from '@nestjs/common';
import { OAuthClockModule } from '../oauth/oauth.clock';
import { ResourceOwnerResolver } from './resource-owner.resolver';

/** How resource owners authenticate (today: Alby's user JWT). Local accounts and login pages will join here. */
@Module({
  imports: [OAuthClockModule],
  providers: [ResourceOwnerResolver],
  exports: [ResourceOwnerResolver],
})
export class UsersModule {}
