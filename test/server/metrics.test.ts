/** Server metrics in Prometheus' text format: each server its own registry, counts that follow what happened. */
import { ServerMetrics } from '../../src/server/metrics';
import { parsePrometheus } from '../helpers/prometheus';

function newMetrics(counts = { connections: 0, environments: 0, steps: 0 }) {
  return new ServerMetrics(
    { connections: () => counts.connections, environments: () => counts.environments, steps: () => counts.steps },
    (m) => ['make', 'step', 'train'].includes(m),
  );
}

describe('ServerMetrics', () => {
  it('reports live connections and environments as they are when scraped', async () => {
    const counts = { connections: 2, environments: 5, steps: 0 };
    const metrics = newMetrics(counts);
    let samples = parsePrometheus(await metrics.text());
    expect(samples.get('palestra_connections')).toBe(2);
    expect(samples.get('palestra_environments')).toBe(5);
    counts.environments = 3;
    samples = parsePrometheus(await metrics.text());
    expect(samples.get('palestra_environments')).toBe(3);
  });

  it('counts steps, connections and refusals', async () => {
    const counts = { connections: 0, environments: 0, steps: 5 };
    const metrics = newMetrics(counts);
    metrics.connectionOpened();
    metrics.refused('origin');
    metrics.refused('origin');
    metrics.refused('credentials');
    const samples = parsePrometheus(await metrics.text());
    expect(samples.get('palestra_env_steps_total')).toBe(5);
    expect(samples.get('palestra_connections_opened_total')).toBe(1);
    expect(samples.get('palestra_refused_total{reason="origin"}')).toBe(2);
    expect(samples.get('palestra_refused_total{reason="credentials"}')).toBe(1);
  });

  it('counts requests and errors by method and code, with a latency histogram', async () => {
    const metrics = newMetrics();
    const started = performance.now();
    metrics.request('ws', 'step', started);
    metrics.request('ws', 'step', started);
    metrics.request('ws', 'step', started, 'reset_needed');
    metrics.request('http', 'train', started, 'rate_limited');
    const samples = parsePrometheus(await metrics.text());
    expect(samples.get('palestra_requests_total{transport="ws",method="step"}')).toBe(3);
    expect(samples.get('palestra_requests_total{transport="http",method="train"}')).toBe(1);
    expect(samples.get('palestra_request_errors_total{transport="ws",method="step",code="reset_needed"}')).toBe(1);
    expect(samples.get('palestra_request_errors_total{transport="http",method="train",code="rate_limited"}')).toBe(1);
    expect(samples.get('palestra_request_duration_seconds_count{transport="ws",method="step"}')).toBe(3);
    expect(samples.get('palestra_request_duration_seconds_bucket{transport="ws",method="step",le="+Inf"}')).toBe(3);
    expect(samples.get('palestra_request_duration_seconds_bucket{transport="ws",method="step",le="10"}')).toBe(3);
    expect(samples.get('palestra_request_duration_seconds_sum{transport="ws",method="step"}')).toBeGreaterThanOrEqual(0);
  });

  it('buckets are cumulative and each observation lands once', async () => {
    const metrics = newMetrics();
    const now = performance.now();
    metrics.request('ws', 'make', now - 0.2); // 0.2 ms
    metrics.request('ws', 'make', now - 300); // 300 ms
    const samples = parsePrometheus(await metrics.text());
    const bucket = (le: string) => samples.get(`palestra_request_duration_seconds_bucket{transport="ws",method="make",le="${le}"}`);
    expect(bucket('0.0001')).toBe(0);
    expect(bucket('0.1')).toBe(1);
    expect(bucket('0.5')).toBe(2);
    expect(samples.get('palestra_request_duration_seconds_sum{transport="ws",method="make"}')).toBeGreaterThanOrEqual(0.3002);
  });

  it('counts unknown method names under one label, so clients cannot grow the label set', async () => {
    const metrics = newMetrics();
    for (let i = 0; i < 50; i++) metrics.request('ws', `made-up-${i}`, performance.now(), 'method_not_found');
    const text = await metrics.text();
    expect(text).not.toContain('made-up');
    expect(parsePrometheus(text).get('palestra_requests_total{transport="ws",method="other"}')).toBe(50);
  });

  it('reports jobs by state, queue depth and training throughput from the job source', async () => {
    const metrics = newMetrics();
    let samples = parsePrometheus(await metrics.text());
    expect(samples.get('palestra_job_queue_depth')).toBe(0);
    metrics.setJobSource(() => ({ byState: { running: 2, queued: 3, done: 7 }, queueDepth: 3, stepsPerSecond: 1234.5 }));
    samples = parsePrometheus(await metrics.text());
    expect(samples.get('palestra_jobs{state="running"}')).toBe(2);
    expect(samples.get('palestra_jobs{state="queued"}')).toBe(3);
    expect(samples.get('palestra_jobs{state="done"}')).toBe(7);
    expect(samples.get('palestra_job_queue_depth')).toBe(3);
    expect(samples.get('palestra_training_steps_per_second')).toBe(1234.5);
  });

  it('includes the process’ own metrics, and two servers keep separate counts', async () => {
    const a = newMetrics({ connections: 0, environments: 0, steps: 10 });
    const b = newMetrics();
    a.refused('host');
    const sa = parsePrometheus(await a.text());
    const sb = parsePrometheus(await b.text());
    expect(sa.get('palestra_env_steps_total')).toBe(10);
    expect(sb.get('palestra_env_steps_total')).toBe(0);
    expect(sa.get('palestra_refused_total{reason="host"}')).toBe(1);
    expect(sb.has('palestra_refused_total{reason="host"}')).toBe(false);
    expect(sa.get('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sa.has('nodejs_heap_size_used_bytes')).toBe(true);
    expect(a.contentType).toMatch(/^text\/plain/);
  });
});
