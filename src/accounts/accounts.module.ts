import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '../common/clock.module';
import { LocalAccount } from './account.entity';
import { AccountsController } from './accounts.controller';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { DemoAccountSeeder } from './demo-account.seeder';
import { PasswordHasher } from './password.hasher';
import { BannerModule } from '../common/banner.service';

/**
 * Local accounts: the resource owners who sign in on satgate's own page, and their admin API. Times
 * (password changes, disabling) come from the one shared CLOCK, the same clock the sessions and grants read.
 */
@Module({
  imports: [TypeOrmModule.forFeature([LocalAccount]), ClockModule, BannerModule],
  controllers: [AccountsController],
  providers: [{ provide: PasswordHasher, useFactory: () => new PasswordHasher() }, AccountsRepository, AccountsService, DemoAccountSeeder],
  exports: [AccountsService],
})
export class AccountsModule {}
