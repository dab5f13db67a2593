import { Global, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BEARER_AUTHENTICATOR } from '../access/access.ports';
import { BudgetsModule } from '../budgets/budgets.module';
import { ClientsModule } from '../clients/clients.module';
import { UsersModule } from '../users/users.module';
import { OAuthAuthorizationCode } from './authorization-code.entity';
import { AuthorizationService } from './authorization.service';
import { AuthorizeController } from './authorize.controller';
import { OAuthBearerAuthenticator } from './bearer.authenticator';
import { CodesRepository } from './codes.repository';
import { ConnectedAppsController } from './connected-apps.controller';
import { DemoController } from './demo.controller';
import { DemoSeeder } from './demo.seeder';
import { FormBodyOnlyMiddleware } from './form-body.middleware';
import { OAuthGrant } from './grant.entity';
import { AuthorizationCodeGrant } from './grants/authorization-code.grant';
import { ClientCredentialsGrant } from './grants/client-credentials.grant';
import { GrantRegistry } from './grants/grant.registry';
import { RefreshTokenGrant } from './grants/refresh-token.grant';
import { GrantsAdminController } from './grants-admin.controller';
import { GrantsRepository } from './grants.repository';
import { GrantsService } from './grants.service';
import { AlbyIntrospectionController } from './introspection.controller';
import { MetadataController } from './metadata.controller';
import { ClockModule } from '../common/clock.module';
import { OAuthPurger } from './oauth.purger';
import { OAuthToken } from './token.entity';
import { TokenController } from './token.controller';
import { TokenEndpointService } from './token-endpoint.service';
import { TokenIssuer } from './token.issuer';
import { TokensRepository } from './tokens.repository';
import { BannerModule } from '../common/banner.service';

/**
 * The OAuth2 authorization server: /oauth/* endpoints, grants, tokens, connected apps, demo seed.
 * Global so the access module's PolicyEvaluator finds `BEARER_AUTHENTICATOR` (and the gateway/L402 modules
 * the authenticator and grant services) without importing this module.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([OAuthGrant, OAuthAuthorizationCode, OAuthToken]), ClientsModule, UsersModule, ClockModule, BannerModule, BudgetsModule],
  controllers: [
    AuthorizeController,
    TokenController,
    AlbyIntrospectionController,
    MetadataController,
    ConnectedAppsController,
    DemoController,
    GrantsAdminController,
  ],
  providers: [
    GrantsRepository,
    TokensRepository,
    CodesRepository,
    GrantsService,
    TokenIssuer,
    AuthorizationService,
    AuthorizationCodeGrant,
    RefreshTokenGrant,
    ClientCredentialsGrant,
    GrantRegistry,
    TokenEndpointService,
    OAuthBearerAuthenticator,
    { provide: BEARER_AUTHENTICATOR, useExisting: OAuthBearerAuthenticator },
    DemoSeeder,
    OAuthPurger,
  ],
  exports: [
    BEARER_AUTHENTICATOR,
    OAuthBearerAuthenticator,
    AuthorizationService,
    GrantsService,
    ClientsModule,
    UsersModule,
    BudgetsModule,
  ],
})
export class OAuthModule implements NestModule {
  /** The client-authenticated endpoints take form bodies only (RFC 6749 §3.2), checked before parsing. */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(FormBodyOnlyMiddleware)
      .forRoutes(
        { path: 'oauth/token', method: RequestMethod.POST },
        { path: 'oauth/introspect', method: RequestMethod.POST },
        { path: 'oauth/revoke', method: RequestMethod.POST },
      );
  }
}
