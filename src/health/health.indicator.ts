/** One dependency's health as /health reports it. */
export interface HealthReport {
  ok: boolean;
  [detail: string]: unknown;
}

/** Something /health checks; modules register theirs under HEALTH_INDICATORS. */
export interface HealthIndicator {
  readonly name: string;
  check(): Promise<HealthReport>;
}

export const HEALTH_INDICATORS = Symbol('HEALTH_INDICATORS');
