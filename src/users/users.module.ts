import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { ClockModule } from '../common/clock.module';
import { ResourceOwnerResolver } from './resource-owner.resolver';
import { ResourceOwnerStatus } from './resource-owner.status';

/**
 * Who the resource owners are: Alby's user JWT at /oauth/authorize (ResourceOwnerResolver), and whether a
 * local account behind a grant is still enabled (ResourceOwnerStatus, asked by the token endpoint).
 */
@Module({
  imports: [ClockModule, AccountsModule],
  providers: [ResourceOwnerResolver, ResourceOwnerStatus],
  exports: [ResourceOwnerResolver, ResourceOwnerStatus],
})
export class UsersModule {}
