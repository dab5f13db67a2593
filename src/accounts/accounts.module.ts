import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LocalAccount } from './account.entity';
import { AccountsController } from './accounts.controller';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { DemoAccountSeeder } from './demo-account.seeder';
import { PasswordHasher } from './password.hasher';

/** Local accounts (issue 6): the resource owners who sign in on satgate's own page, and their admin API. */
@Module({
  imports: [TypeOrmModule.forFeature([LocalAccount])],
  controllers: [AccountsController],
  providers: [{ provide: PasswordHasher, useFactory: () => new PasswordHasher() }, AccountsRepository, AccountsService, DemoAccountSeeder],
  exports: [AccountsService],
})
export class AccountsModule {}
