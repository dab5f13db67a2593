import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../access/access.decorators';
import { AccountCreateDto, AccountPasswordResetDto, AccountView } from './account.dto';
import { AccountsService } from './accounts.service';

/**
 * Admin REST for local accounts (admin token). Accounts are addressed by id; a password left out of a
 * create or reset is generated and returned once in the response.
 */
@ApiTags('admin')
@AdminOnly()
@Controller('admin/accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post()
  create(@Body() dto: AccountCreateDto): Promise<AccountView> {
    return this.accounts.create(dto);
  }

  @Get()
  list(): Promise<AccountView[]> {
    return this.accounts.list();
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<AccountView> {
    return this.accounts.get(id);
  }

  /** Disabling ends the account's browser sessions and revokes the OAuth grants it gave. */
  @Post(':id/disable')
  @HttpCode(200)
  disable(@Param('id') id: string): Promise<AccountView> {
    return this.accounts.disable(id);
  }

  @Post(':id/enable')
  @HttpCode(200)
  enable(@Param('id') id: string): Promise<AccountView> {
    return this.accounts.enable(id);
  }

  /** Sets a new password and ends the account's browser sessions (its OAuth grants stay). */
  @Post(':id/password')
  @HttpCode(200)
  resetPassword(@Param('id') id: string, @Body() dto: AccountPasswordResetDto): Promise<AccountView> {
    return this.accounts.resetPassword(id, dto);
  }
}
