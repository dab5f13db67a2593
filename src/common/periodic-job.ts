import { logger } from './logger';

/**
 * Runs background work every `intervalMs`: never two runs at once, failures logged (the next run retries),
 * the timer unref'd so it never holds the process open, and `stop()` waiting for a run under way so it
 * finishes before the database connection closes. Shared by the L402 and OAuth purges.
 */
export class PeriodicJob {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly work: () => Promise<unknown>,
  ) {}

  /** True once stop() was called: long runs check it to end early. */
  get stopping(): boolean {
    return this.stopped;
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  /** Runs the work now (unless a run is under way), e.g. once at start; stop() waits for it like any run. */
  runNow(): Promise<void> {
    return this.runOnce();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async runOnce(): Promise<void> {
    if (this.running) return;
    this.running = this.work().then(
      () => undefined,
      (err: unknown) => logger.warn({ job: this.name, err: (err as Error)?.message }, 'background job failed'),
    );
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
  }
}
