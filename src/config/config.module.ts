import { DynamicModule, Global, Module } from '@nestjs/common';
import type { RuntimeConfig } from './config.types';

/** Injection token of the validated RuntimeConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Makes the one validated configuration injectable everywhere; nothing reads process.env after boot. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: RuntimeConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}
