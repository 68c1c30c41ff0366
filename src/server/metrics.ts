/**
 * What `GET /metrics` reports, in Prometheus' text format: connections,
 * environments, steps, requests and errors by method and code, request
 * latency, jobs by state, training throughput, queue depth, and the
 * process' own figures. Each server has its own registry (tests run many
 * servers in one process). The hot path only bumps plain numbers; the
 * registry reads them when scraped.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { LatencyHistogram, LatencySeries } from './latency_histogram';

/** Live figures the metrics read when scraped. */
export interface MetricSources {
  /** Open WebSocket connections. */
  connections(): number;
  /** Live environments over every transport. */
  environments(): number;
  /** Environment steps taken since start (a plain counter the step path bumps). */
  steps(): number;
}

/** What the job manager reports when scraped. */
export interface JobFigures {
  /** Jobs by state (`queued`, `running`, `done`, `failed`, `stopped`, …). */
  byState: Record<string, number>;
  /** Jobs waiting for a free slot. */
  queueDepth: number;
  /** Environment steps per second over all running training jobs, from their latest progress. */
  stepsPerSecond: number;
  /** With a cluster queue: the `palestra worker` processes connected to it (absent otherwise). */
  workers?: number;
}

/** How a request arrived. */
export type Transport = 'ws' | 'http';

/** Why a connection or request was turned away before any method ran. */
export type RefusalReason = 'origin' | 'host' | 'credentials' | 'max_connections' | 'rate_limit';

interface MethodStats {
  requests: number;
  readonly errors: Map<string, number>;
  readonly latency: LatencySeries;
  readonly labels: { transport: Transport; method: string };
}

/** A method name outside the known set is counted as this, so clients cannot grow the label set. */
export const OTHER_METHOD = 'other';

let processRegistry: Registry | null = null;

/** Process figures (CPU, memory, event-loop lag, GC) are the process', so one registry serves every server. */
function processMetrics(): Registry {
  if (processRegistry === null) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** One server's metrics. */
export class ServerMetrics {
  readonly registry = new Registry();
  private opened = 0;
  private readonly refusals = new Map<RefusalReason, number>();
  private readonly methods = new Map<string, MethodStats>();
  private readonly latency: LatencyHistogram;
  private jobs: (() => JobFigures | null) | null = null;

  /**
   * @param sources live counts read at scrape time
   * @param isKnownMethod which method (or route) names get their own label
   */
  constructor(
    private readonly sources: MetricSources,
    private readonly isKnownMethod: (method: string) => boolean = () => true,
  ) {
    // Arrow functions in `collect` would lose prom-client's `this`; these read the closure instead.
    const self = this;
    const registers = [this.registry];
    new Gauge({ name: 'palestra_connections', help: 'Open WebSocket connections.', registers, collect() {
      this.set(self.sources.connections());
    } });
    new Counter({ name: 'palestra_connections_opened_total', help: 'WebSocket connections accepted since start.', registers, collect() {
      this.reset();
      this.inc(self.opened);
    } });
    new Counter({
      name: 'palestra_refused_total',
      help: 'Connections and requests turned away before any method ran, by reason.',
      labelNames: ['reason'],
      registers,
      collect() {
        this.reset();
        for (const [reason, n] of self.refusals) this.inc({ reason }, n);
      },
    });
    new Gauge({ name: 'palestra_environments', help: 'Live environments over every transport.', registers, collect() {
      this.set(self.sources.environments());
    } });
    new Counter({ name: 'palestra_env_steps_total', help: 'Environment steps taken (a vector step counts each sub-environment).', registers, collect() {
      this.reset();
      this.inc(self.sources.steps());
    } });
    new Counter({
      name: 'palestra_requests_total',
      help: 'Requests handled, by transport and method (HTTP: route).',
      labelNames: ['transport', 'method'],
      registers,
      collect() {
        this.reset();
        for (const s of self.methods.values()) this.inc(s.labels, s.requests);
      },
    });
    new Counter({
      name: 'palestra_request_errors_total',
      help: 'Requests answered with an error, by transport, method and catalogue error name.',
      labelNames: ['transport', 'method', 'code'],
      registers,
      collect() {
        this.reset();
        for (const s of self.methods.values()) for (const [code, n] of s.errors) this.inc({ ...s.labels, code }, n);
      },
    });
    this.latency = new LatencyHistogram('palestra_request_duration_seconds', 'Time from a request read to its reply, by transport and method.', this.registry);
    new Gauge({ name: 'palestra_jobs', help: 'Training and evaluation jobs by state.', labelNames: ['state'], registers, collect() {
      this.reset();
      const figures = self.jobs?.();
      if (figures) for (const [state, n] of Object.entries(figures.byState)) this.set({ state }, n);
    } });
    new Gauge({ name: 'palestra_job_queue_depth', help: 'Jobs waiting for a free slot.', registers, collect() {
      this.set(self.jobs?.()?.queueDepth ?? 0);
    } });
    new Gauge({ name: 'palestra_cluster_workers', help: 'Workers connected to the cluster queue (0 without one).', registers, collect() {
      this.set(self.jobs?.()?.workers ?? 0);
    } });
    new Gauge({ name: 'palestra_training_steps_per_second', help: 'Environment steps per second over all running training jobs.', registers, collect() {
      this.set(self.jobs?.()?.stepsPerSecond ?? 0);
    } });
  }

  /** Where the job figures come from (null while the server trains nothing). */
  setJobSource(source: (() => JobFigures | null) | null): void {
    this.jobs = source;
  }

  /** Counts an accepted WebSocket connection. */
  connectionOpened(): void {
    this.opened++;
  }

  /** Counts a connection or request turned away. */
  refused(reason: RefusalReason): void {
    this.refusals.set(reason, (this.refusals.get(reason) ?? 0) + 1);
  }

  /**
   * Records one finished request: `startedMs` from `performance.now()` when it was read,
   * `errorName` the catalogue name when it failed.
   */
  request(transport: Transport, method: string, startedMs: number, errorName?: string): void {
    // Socket method names come from clients; HTTP ones are route patterns, bounded by the route table.
    const name = transport === 'http' || this.isKnownMethod(method) ? method : OTHER_METHOD;
    const key = transport === 'ws' ? name : `http ${name}`;
    let stats = this.methods.get(key);
    if (stats === undefined) {
      const labels = { transport, method: name };
      stats = { requests: 0, errors: new Map(), latency: this.latency.seriesFor(key, labels), labels };
      this.methods.set(key, stats);
    }
    stats.requests++;
    stats.latency.observe((performance.now() - startedMs) / 1000);
    if (errorName !== undefined) stats.errors.set(errorName, (stats.errors.get(errorName) ?? 0) + 1);
  }

  /** The Prometheus text: this server's metrics, then the process'. */
  async text(): Promise<string> {
    const [own, proc] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
    return `${own}\n${proc}`;
  }

  /** The content type of `text()`. */
  get contentType(): string {
    return this.registry.contentType;
  }
}
