import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { HealthIndicator, HealthReport } from './health.indicator';

/** The database answers a trivial query within a second (/health must answer promptly). */
@Injectable()
export class DatabaseHealth implements HealthIndicator {
  readonly name = 'database';
  constructor(private readonly dataSource: DataSource) {}

  async check(): Promise<HealthReport> {
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), 1000);
      return { ok: true };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });
}
