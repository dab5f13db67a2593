import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from './data-source.options';
import { InvalidationBus } from './invalidation.bus';

/**
 * The TypeORM connection (Postgres via `pg`), migrations run at boot; entities register with forFeature.
 * Also shares the InvalidationBus that keeps hot-path caches coherent across instances.
 */
@Global()
@Module({ providers: [InvalidationBus], exports: [InvalidationBus] })
export class DatabaseModule {
  static forRoot(url: string, embedded: boolean, poolSize?: number): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(url, { embedded, poolSize }),
          entities: [],
          autoLoadEntities: true,
          retryAttempts: 3,
          retryDelay: 1000,
        }),
      ],
    };
  }
}
