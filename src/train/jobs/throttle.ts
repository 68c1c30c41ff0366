/**
 * The one place progress is rate-limited: a job's worker reports through a
 * Throttle, so at most one progress message per interval crosses to the main
 * thread whatever the algorithm's pace. It is synchronous on purpose: the
 * training loop never yields, so a timer would never fire.
 */

/** Passes a value on at most once per `intervalMs`; the latest value held back can be flushed. */
export class Throttle<T> {
  private last = -Infinity;
  private pending: { value: T } | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly send: (value: T) => void,
  ) {}

  /** True when a value offered now would be sent (lets callers skip building one). */
  get due(): boolean {
    return performance.now() - this.last >= this.intervalMs;
  }

  /** Sends `value` if the interval has passed, else keeps it as the one to flush. */
  offer(value: T): void {
    if (this.due) {
      this.last = performance.now();
      this.pending = null;
      this.send(value);
    } else {
      this.pending = { value };
    }
  }

  /** Sends the value held back, if any (the last episode of an evaluation, say). */
  flush(): void {
    if (!this.pending) return;
    const { value } = this.pending;
    this.pending = null;
    this.last = performance.now();
    this.send(value);
  }
}
