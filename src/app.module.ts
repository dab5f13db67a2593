import { DynamicModule, Module } from '@nestjs/common';
import { AccessModule } from './access/access.module';
import { AdminModule } from './admin/admin.module';
import { BudgetsModule } from './budgets/budgets.module';
import { ConfigModule } from './config/config.module';
import type { SatgateRuntime } from './config/runtime';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { GatewayModule } from './gateway/gateway.module';
import { L402Module } from './l402/l402.module';
import { LightningModule } from './lightning/lightning.module';
import { LoginModule } from './login/login.module';
import { OAuthModule } from './oauth/oauth.module';

/** Composes the feature modules around one global AccessGuard and one error filter (set in app.factory). */
@Module({})
export class AppModule {
  static forRoot(runtime: SatgateRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRuntime(runtime),
        DatabaseModule.forRoot(runtime.databaseUrl, runtime.embedded, runtime.config.databasePoolSize),
        MetricsModule,
        LightningModule,
        AccessModule,
        HealthModule,
        AdminModule,
        LoginModule,
        OAuthModule,
        BudgetsModule,
        L402Module,
        // Last: its catch-all route must not shadow the feature controllers.
        GatewayModule,
      ],
    };
  }
}
