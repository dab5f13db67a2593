import { Controller, Delete, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../access/access.decorators';
import {
  L402InvoiceListDto,
  L402TokenIdParam,
  L402TokenListDto,
  type AdminPage,
  type L402InvoiceView,
  type L402RevocationView,
  type L402TokenView,
} from './l402-admin.dto';
import { L402AdminService } from './l402-admin.service';

/** Operators' L402 tools: list and revoke tokens (the token id is the identifier's, as clients show it). */
@ApiTags('admin')
@AdminOnly()
@Controller('admin/l402')
export class L402AdminController {
  constructor(private readonly admin: L402AdminService) {}

  @Get()
  list(@Query() query: L402TokenListDto): Promise<AdminPage<L402TokenView>> {
    return this.admin.listTokens(query);
  }

  @Delete(':tokenId')
  revoke(@Param() params: L402TokenIdParam): Promise<L402RevocationView> {
    return this.admin.revoke(params.tokenId);
  }
}

/** The challenges' invoices: the paywall's transaction list. */
@ApiTags('admin')
@AdminOnly()
@Controller('admin/invoices')
export class L402InvoicesAdminController {
  constructor(private readonly admin: L402AdminService) {}

  @Get()
  list(@Query() query: L402InvoiceListDto): Promise<AdminPage<L402InvoiceView>> {
    return this.admin.listInvoices(query);
  }
}
