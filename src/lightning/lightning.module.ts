import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { SATGATE_RUNTIME } from '../config/runtime';
import type { SatgateRuntime } from '../config/runtime';
import { logger } from '../common/logger';
import { LIGHTNING_HEALTH } from '../health/health.module';
import type { HealthIndicator, HealthReport } from '../health/health.indicator';
import { LightningService } from './lightning.service';

/**
 * Injection token of the LightningService, or `null` when no node is configured (DATABASE_URL without
 * LND_*): features then answer 503 lightning_unavailable instead of failing at boot.
 */
export const LIGHTNING = Symbol('LIGHTNING');

/** /health's view of the node: GetInfo answers within the timeout. */
@Injectable()
export class LightningHealth implements HealthIndicator {
  readonly name = 'lightning';
  constructor(@Inject(LIGHTNING) private readonly lightning: LightningService | null) {}

  async check(): Promise<HealthReport> {
    if (!this.lightning) return { ok: true, configured: false };
    try {
      // Short deadline (and none at all while the node is known down): /health must answer promptly.
      const info = await this.lightning.nodeInfo({ timeoutMs: 1000 });
      return { ok: true, alias: info.alias, pubkey: info.pubkey, network: info.network, synced: info.synced, blockHeight: info.blockHeight };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  }
}

/** Closes the gRPC channels (and settlement streams) on shutdown. */
@Injectable()
class LightningCloser implements OnApplicationShutdown {
  constructor(@Inject(LIGHTNING) private readonly lightning: LightningService | null) {}
  onApplicationShutdown(): void {
    this.lightning?.close();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: LIGHTNING,
      inject: [SATGATE_RUNTIME],
      useFactory: (runtime: SatgateRuntime): LightningService | null => {
        if (!runtime.lnd) {
          logger.warn('no Lightning node configured (LND_SOCKET/LND_CERT/LND_MACAROON): L402 challenges answer 503');
          return null;
        }
        return new LightningService(runtime.lnd);
      },
    },
    LightningHealth,
    LightningCloser,
    { provide: LIGHTNING_HEALTH, useExisting: LightningHealth },
  ],
  exports: [LIGHTNING, LIGHTNING_HEALTH],
})
export class LightningModule {}
