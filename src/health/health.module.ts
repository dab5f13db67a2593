import { Module } from '@nestjs/common';
import { DatabaseHealth } from './database.health';
import { HealthController } from './health.controller';
import { HEALTH_INDICATORS, HealthIndicator } from './health.indicator';
import { HealthService } from './health.service';

/** Token under which the Lightning module offers its indicator (optional: absent before it is wired). */
export const LIGHTNING_HEALTH = Symbol('LIGHTNING_HEALTH');

@Module({
  controllers: [HealthController],
  providers: [
    DatabaseHealth,
    HealthService,
    {
      provide: HEALTH_INDICATORS,
      inject: [DatabaseHealth, { token: LIGHTNING_HEALTH, optional: true }],
      useFactory: (db: DatabaseHealth, ln?: HealthIndicator): HealthIndicator[] => (ln ? [db, ln] : [db]),
    },
  ],
})
export class HealthModule {}
