import { DynamicModule, Global, Module } from '@nestjs/common';
import type { RuntimeConfig } from './config.types';
import { SATGATE_RUNTIME, type SatgateRuntime } from './runtime';

/** Injection token of the validated RuntimeConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Makes the one validated configuration injectable everywhere; nothing reads process.env after boot. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: RuntimeConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }

  /** The running service: the configuration plus what the start-up resolved (SATGATE_RUNTIME). */
  static forRuntime(runtime: SatgateRuntime): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: runtime.config },
        { provide: SATGATE_RUNTIME, useValue: runtime },
      ],
      exports: [APP_CONFIG, SATGATE_RUNTIME],
    };
  }
}
