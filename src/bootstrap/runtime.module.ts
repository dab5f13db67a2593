import { DynamicModule, Global, Module } from '@nestjs/common';
import { BannerService } from './banner.sections';
import type { SatgateRuntime } from './runtime';

/** Injection token of the SatgateRuntime (demo origin URL, LND credentials, embedded flags). */
export const SATGATE_RUNTIME = Symbol('SATGATE_RUNTIME');

@Global()
@Module({})
export class RuntimeModule {
  static forRoot(runtime: SatgateRuntime): DynamicModule {
    return {
      module: RuntimeModule,
      providers: [{ provide: SATGATE_RUNTIME, useValue: runtime }, BannerService],
      exports: [SATGATE_RUNTIME, BannerService],
    };
  }
}
