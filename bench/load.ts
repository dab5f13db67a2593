/**
 * A small closed-loop HTTP load generator: `connections` keep-alive connections (an undici Pool), each running
 * requests back to back for a fixed time, recording every latency. Good enough on loopback to compare
 * scenarios against each other; it is not autocannon (nothing to install), and runs in the bench process, not
 * satgate's, so it does not steal satgate's event loop.
 */
import { Pool } from 'undici';

/** One measured scenario. */
export interface LoadResult {
  requests: number;
  /** Answers outside 2xx (and transport errors); a scenario with errors is not a valid measurement. */
  errors: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** The first non-2xx status seen, to explain errors. */
  firstErrorStatus?: number;
  /** CPU time satgate's process spent per request, in microseconds (when measurable). */
  serverCpuUsPerRequest?: number;
}

/** Where one scenario sends its requests. */
export interface LoadTarget {
  url: string;
  headers?: Record<string, string>;
}

/** Latencies and errors gathered over one or more measuring windows of a target. */
export class Samples {
  readonly latencies: number[] = [];
  errors = 0;
  firstErrorStatus?: number;
  seconds = 0;
  /** CPU seconds the server spent during the windows, when measurable. */
  serverCpu: number | undefined = 0;

  result(): LoadResult {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      requests: sorted.length,
      errors: this.errors,
      reqPerSec: this.seconds ? Math.round(sorted.length / this.seconds) : 0,
      p50Ms: round(percentile(sorted, 0.5)),
      p99Ms: round(percentile(sorted, 0.99)),
      ...(this.firstErrorStatus !== undefined ? { firstErrorStatus: this.firstErrorStatus } : {}),
      ...(this.serverCpu !== undefined && sorted.length ? { serverCpuUsPerRequest: Math.round((this.serverCpu / sorted.length) * 1e7) / 10 } : {}),
    };
  }
}

/**
 * Keeps one keep-alive pool per target origin and drives `connections` concurrent request loops for a window,
 * adding what it saw to `samples` (or discarding it, for a warm-up).
 */
export class LoadGenerator {
  private readonly pools = new Map<string, Pool>();

  /** `serverCpu` reads the server's CPU seconds so far (undefined when it cannot be measured). */
  constructor(
    private readonly connections: number,
    private readonly serverCpu: () => number | undefined = () => undefined,
  ) {}

  async window(target: LoadTarget, durationMs: number, samples?: Samples): Promise<void> {
    const url = new URL(target.url);
    let pool = this.pools.get(url.origin);
    if (!pool) {
      pool = new Pool(url.origin, { connections: this.connections, pipelining: 1, keepAliveTimeout: 60_000 });
      this.pools.set(url.origin, pool);
    }
    const path = `${url.pathname}${url.search}`;
    const end = Date.now() + durationMs;
    const started = process.hrtime.bigint();
    const cpuBefore = this.serverCpu();
    const worker = async (): Promise<void> => {
      while (Date.now() < end) {
        const t0 = process.hrtime.bigint();
        let status: number;
        try {
          const res = await pool.request({ path, method: 'GET', headers: target.headers });
          status = res.statusCode;
          await res.body.text();
        } catch {
          status = 0;
        }
        if (!samples) continue;
        samples.latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (status < 200 || status >= 300) {
          samples.errors += 1;
          samples.firstErrorStatus ??= status;
        }
      }
    };
    await Promise.all(Array.from({ length: this.connections }, worker));
    if (!samples) return;
    samples.seconds += Number(process.hrtime.bigint() - started) / 1e9;
    const cpuAfter = this.serverCpu();
    samples.serverCpu = cpuBefore === undefined || cpuAfter === undefined || samples.serverCpu === undefined ? undefined : samples.serverCpu + cpuAfter - cpuBefore;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close()));
  }
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))];
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
