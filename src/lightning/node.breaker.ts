/**
 * A circuit breaker for the Lightning node. Once a call finds the node unreachable (or past its deadline),
 * the breaker opens: calls that would only wait for the same answer fail at once, and a probe asks the node
 * every `probeIntervalMs` until it answers; then the breaker closes and `onUp` runs (the settlement stream
 * resubscribes at once instead of waiting out its own back-off).
 */
export class NodeCircuitBreaker {
  private openSinceMs?: number;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly probe: () => Promise<void>,
    private readonly onUp: () => void,
    private readonly probeIntervalMs = 500,
  ) {}

  /** True while the node is known to be down. */
  get isOpen(): boolean {
    return this.openSinceMs !== undefined;
  }

  /** When the node was first found down (for messages), undefined while closed. */
  get openSince(): Date | undefined {
    return this.openSinceMs === undefined ? undefined : new Date(this.openSinceMs);
  }

  /** The node failed to answer: open (if closed) and start probing. */
  trip(): void {
    if (this.stopped || this.openSinceMs !== undefined) return;
    this.openSinceMs = Date.now();
    this.scheduleProbe();
  }

  /** The node answered a call: close (if open). */
  reset(): void {
    if (this.openSinceMs === undefined) return;
    this.openSinceMs = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.stopped) this.onUp();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private scheduleProbe(): void {
    this.timer = setTimeout(() => {
      this.probe().then(
        () => this.reset(),
        () => {
          if (this.isOpen && !this.stopped) this.scheduleProbe();
        },
      );
    }, this.probeIntervalMs);
    this.timer.unref();
  }
}
