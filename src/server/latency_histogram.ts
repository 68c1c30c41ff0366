/**
 * A request-latency histogram that costs a few nanoseconds to observe: plain
 * counters in typed arrays, read by prom-client only when `/metrics` is
 * scraped. prom-client's own Histogram hashes its labels on every
 * observation, which on the step path would cost more than the step.
 */
import type { Metric, Registry } from 'prom-client';

/** Upper bounds in seconds: a step takes tens of microseconds, a `train` call up to seconds. */
export const LATENCY_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The counts for one label set. */
export class LatencySeries {
  /** counts[i] observations fell in bucket i (not cumulative); the last slot is above every bound. */
  readonly counts = new Float64Array(LATENCY_BUCKETS.length + 1);
  sum = 0;
  count = 0;

  constructor(readonly labels: Readonly<Record<string, string>>) {}

  /** Records one duration in seconds. */
  observe(seconds: number): void {
    let i = 0;
    while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]) i++;
    this.counts[i]++;
    this.sum += seconds;
    this.count++;
  }
}

interface Sample {
  value: number;
  labels: Record<string, string | number>;
  metricName: string;
}

/** A histogram family whose series are created once and observed directly. */
export class LatencyHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, LatencySeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    registry: Registry,
  ) {
    registry.registerMetric(this as unknown as Metric);
  }

  /** The series for a label set, made on first use; `key` must identify the labels. */
  seriesFor(key: string, labels: Record<string, string>): LatencySeries {
    let s = this.series.get(key);
    if (s === undefined) {
      s = new LatencySeries(labels);
      this.series.set(key, s);
    }
    return s;
  }

  /** The samples in the shape prom-client's registry formats (`_bucket` with `le`, `_sum`, `_count`). */
  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Sample[] }> {
    const values: Sample[] = [];
    for (const s of this.series.values()) {
      let cumulative = 0;
      LATENCY_BUCKETS.forEach((bound, i) => {
        cumulative += s.counts[i];
        values.push({ value: cumulative, labels: { ...s.labels, le: bound }, metricName: `${this.name}_bucket` });
      });
      values.push({ value: s.count, labels: { ...s.labels, le: '+Inf' }, metricName: `${this.name}_bucket` });
      values.push({ value: s.sum, labels: { ...s.labels }, metricName: `${this.name}_sum` });
      values.push({ value: s.count, labels: { ...s.labels }, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** Forgets every observation (prom-client's `resetMetrics`). */
  reset(): void {
    this.series.clear();
  }
}
