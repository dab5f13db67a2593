import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../access/access.decorators';
import { ClientCreateDto, ClientUpdateDto, type ClientView } from './client.dto';
import { ClientsService } from './clients.service';

/** Client registration for operators (Alby's admin routes, here behind the admin token). */
@ApiTags('admin')
@AdminOnly()
@Controller('admin/clients')
export class ClientsAdminController {
  constructor(private readonly clients: ClientsService) {}

  /** 201 with the client and, for a confidential client, its secret — shown this once only. */
  @Post()
  create(@Body() dto: ClientCreateDto): Promise<ClientView> {
    return this.clients.create(dto);
  }

  @Get()
  list(): Promise<ClientView[]> {
    return this.clients.list();
  }

  @Get(':clientId')
  get(@Param('clientId') clientId: string): Promise<ClientView> {
    return this.clients.get(clientId);
  }

  @Put(':clientId')
  update(@Param('clientId') clientId: string, @Body() dto: ClientUpdateDto): Promise<ClientView> {
    return this.clients.update(clientId, dto);
  }

  /** Deletes the client and with it every code, grant and token it holds. */
  @Delete(':clientId')
  @HttpCode(204)
  async remove(@Param('clientId') clientId: string): Promise<void> {
    await this.clients.delete(clientId);
  }

  /** A new secret; the old one stops working at once. */
  @Post(':clientId/secret')
  @HttpCode(200)
  rotateSecret(@Param('clientId') clientId: string): Promise<{ clientId: string; clientSecret: string }> {
    return this.clients.rotateSecret(clientId);
  }
}
