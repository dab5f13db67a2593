import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ScopeRegistry } from '../core/oauth';
import { OAuthClient } from './client.entity';
import { ClientsAdminController } from './clients.admin.controller';
import { ClientsRepository } from './clients.repository';
import { ClientsService } from './clients.service';
import { scopeRegistryProvider } from './scope-registry.provider';

/** OAuth clients: entity, repository, service (authentication, metadata rules) and the admin REST API. */
@Module({
  imports: [TypeOrmModule.forFeature([OAuthClient])],
  controllers: [ClientsAdminController],
  providers: [ClientsRepository, ClientsService, scopeRegistryProvider],
  exports: [ClientsService, ScopeRegistry],
})
export class ClientsModule {}
