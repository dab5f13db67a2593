import { Inject, Injectable } from '@nestjs/common';
import { HEALTH_INDICATORS, HealthIndicator, HealthReport } from './health.indicator';

/** Aggregates every registered indicator; healthy only when all are. */
@Injectable()
export class HealthService {
  constructor(@Inject(HEALTH_INDICATORS) private readonly indicators: HealthIndicator[]) {}

  async check(): Promise<{ status: 'ok' | 'unavailable'; checks: Record<string, HealthReport>; down: string[] }> {
    const reports = await Promise.all(this.indicators.map(async (i) => [i.name, await i.check()] as const));
    const checks = Object.fromEntries(reports);
    const down = reports.filter(([, r]) => !r.ok).map(([n]) => n);
    return { status: down.length ? 'unavailable' : 'ok', checks, down };
  }
}
