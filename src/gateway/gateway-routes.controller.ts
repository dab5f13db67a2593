import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../access/access.decorators';
import { GatewayRouteCreateDto, GatewayRouteUpdateDto, GatewayRouteView, toView } from './gateway-route.dto';
import { GatewayRoutesService } from './gateway-routes.service';

/** `/admin/routes`: the gateway's route table, managed at run time (changes apply without restart). */
@ApiTags('admin')
@AdminOnly()
@Controller('admin/routes')
export class GatewayRoutesController {
  constructor(private readonly routes: GatewayRoutesService) {}

  @Get()
  async list(): Promise<{ routes: GatewayRouteView[] }> {
    return { routes: (await this.routes.list()).map(toView) };
  }

  @Post()
  async create(@Body() dto: GatewayRouteCreateDto): Promise<GatewayRouteView> {
    return toView(await this.routes.create(dto));
  }

  @Get(':idOrName')
  async get(@Param('idOrName') idOrName: string): Promise<GatewayRouteView> {
    return toView(await this.routes.get(idOrName));
  }

  @Patch(':idOrName')
  async update(@Param('idOrName') idOrName: string, @Body() dto: GatewayRouteUpdateDto): Promise<GatewayRouteView> {
    return toView(await this.routes.update(idOrName, dto));
  }

  @Delete(':idOrName')
  @HttpCode(204)
  async remove(@Param('idOrName') idOrName: string): Promise<void> {
    await this.routes.remove(idOrName);
  }
}
