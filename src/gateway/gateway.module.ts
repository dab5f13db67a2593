import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { FastifyInstance } from 'fastify';
import { ErrorFilter } from '../common/error.filter';
import { DemoRoutesSeeder } from './demo-routes';
import { GatewayRouteEntity } from './gateway-route.entity';
import { GatewayRoutesController } from './gateway-routes.controller';
import { GatewayRoutesRepository } from './gateway-routes.repository';
import { GatewayRoutesService } from './gateway-routes.service';
import { GatewayHandler } from './gateway.handler';
import { gatewayPlugin } from './gateway.plugin';
import { RouteTableService } from './route-table.service';
import { BannerModule } from '../common/banner.service';
import { ClockModule } from '../common/clock.module';

/**
 * The gateway: admin-managed routes to origins, each guarded by the same policy vocabulary and
 * evaluator as the controllers, proxied with undici (HTTP, SSE) and ws (WebSocket).
 *
 * Its Fastify plugin is registered from onModuleInit: Nest has registered every controller route by then, and
 * Fastify has not booted (that happens in listen()), so the plugin loads with the app's hooks in place.
 */
@Module({
  imports: [TypeOrmModule.forFeature([GatewayRouteEntity]), BannerModule, ClockModule],
  controllers: [GatewayRoutesController],
  providers: [GatewayRoutesRepository, RouteTableService, GatewayRoutesService, GatewayHandler, DemoRoutesSeeder],
  exports: [RouteTableService, GatewayRoutesService],
})
export class GatewayModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly table: RouteTableService,
    private readonly handler: GatewayHandler,
    private readonly seeder: DemoRoutesSeeder,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.seeder.seedIfDemo();
    await this.table.start();
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return; // a testing module without an HTTP server
    void fastify.register(gatewayPlugin(this.handler, new ErrorFilter()));
  }
}
