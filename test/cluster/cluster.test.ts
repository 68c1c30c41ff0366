/**
 * Two nodes and two workers, each its own process, on one Redis: jobs
 * submitted on node A spread over the workers; node B sees, watches and stops
 * them; every model is visible from both nodes (one shared data directory).
 */
import { parsePrometheus } from '../helpers/prometheus';
import { RpcClient } from '../helpers/server';
import { finalFrame, framesOf, until } from '../train/helpers';
import { Node, Proc, TestRedis, clusterSuite, sharedDir, startNode, startRedis, startWorker } from './helpers';

jest.setTimeout(240_000);

clusterSuite('a cluster of two nodes and two workers', () => {
  let redis: TestRedis;
  let nodes: Node[] = [];
  let workers: Proc[] = [];
  let a: RpcClient;
  let b: RpcClient;

  beforeAll(async () => {
    redis = await startRedis();
    const dir = sharedDir();
    nodes = await Promise.all([startNode(redis.url, dir), startNode(redis.url, dir)]);
    workers = await Promise.all([startWorker(redis.url, dir), startWorker(redis.url, dir)]);
    a = await RpcClient.connect(nodes[0].url);
    b = await RpcClient.connect(nodes[1].url);
  });

  afterAll(async () => {
    a?.ws.close();
    b?.ws.close();
    await Promise.all([...workers, ...nodes].map((p) => p.stop()));
    await redis?.stop();
  });

  test('six jobs from node A: B watches one and stops one; all end as they should; models seen from both', async () => {
    const short = { env_id: 'CartPole-v1', algorithm: 'ppo', total_timesteps: 1024, hyperparameters: { n_envs: 4, n_steps: 64, batch_size: 64 } };
    // The first is long, to be stopped from B while it runs; five short ones follow.
    const long = await a.call('train', { ...short, total_timesteps: 10_000_000, seed: 100, name: 'cluster-long' });
    const rest: { job_id: string }[] = [];
    for (let i = 0; i < 5; i++) rest.push(await a.call('train', { ...short, seed: i, name: `cluster-short-${i}` }));
    const ids = [long.job_id, ...rest.map((r) => r.job_id)];

    // B knows every job A submitted.
    const listed = await b.call('jobs', {});
    expect(listed.jobs.map((j: { job_id: string }) => j.job_id)).toEqual(expect.arrayContaining(ids));

    // B watches the last short job (queued behind the others) and gets its frames.
    const watched = rest[4].job_id;
    const sub = await b.call('subscribe', { job_id: watched });
    expect(sub.subscribed).toBe(true);

    // B stops the long job once it runs; the worker running it sees the stop.
    await until(() => framesOf(a, long.job_id, 'train.progress').length >= 2, 120_000, 'the long job to make progress');
    const stopped = await b.call('stop', { job_id: long.job_id });
    expect(['saving', 'stopped']).toContain(stopped.status);
    const longEnd = await finalFrame(a, long.job_id, 60_000);
    expect(longEnd).toMatchObject({ method: 'train.done', params: { status: 'stopped', stop_reason: 'stopped', model: 'cluster-long' } });
    expect(longEnd.params.timesteps).toBeLessThan(10_000_000);

    const watchedEnd = await finalFrame(b, watched, 180_000);
    expect(watchedEnd).toMatchObject({ method: 'train.done', params: { status: 'completed', model: 'cluster-short-4' } });
    expect(framesOf(b, watched, 'train.progress').length).toBeGreaterThan(0);
    for (const r of rest) {
      const end = await finalFrame(a, r.job_id, 180_000);
      expect(end).toMatchObject({ method: 'train.done', params: { status: 'completed', timesteps: 1024 } });
    }

    // Every job is final as either node tells it.
    for (const client of [a, b]) {
      for (const id of ids) {
        const job = await client.call('job', { job_id: id });
        expect(job.status).toBe(id === long.job_id ? 'stopped' : 'completed');
      }
    }

    // The models are one set, seen from both nodes, and each can be used from either.
    const names = ['cluster-long', ...rest.map((_, i) => `cluster-short-${i}`)].sort();
    for (const client of [a, b]) {
      const { models } = await client.call('models', {});
      expect(models.map((m: { name: string }) => m.name).sort()).toEqual(names);
    }
    const prediction = await b.call('predict', { model: 'cluster-short-0', observation: [0, 0, 0.01, 0] });
    expect([0, 1]).toContain(prediction.action);
    const evaluation = await b.call('evaluate', { model: 'cluster-short-1', episodes: 2 });
    expect(evaluation).toMatchObject({ status: 'completed', model: 'cluster-short-1' });
    expect(evaluation.returns).toHaveLength(2);
    await a.call('delete_model', { name: 'cluster-short-2' });
    const after = await b.call('models', {});
    expect(after.models.map((m: { name: string }) => m.name)).not.toContain('cluster-short-2');

    // The workers recorded every run in the shared directory; either node lists them.
    // (A run's end line is appended by the worker just after its job ends, so it is waited for.)
    const expected = ids.map((id) => (id === long.job_id ? 'stopped' : 'completed'));
    for (const client of [a, b]) {
      let statuses: unknown[] = [];
      for (let i = 0; i < 50 && JSON.stringify(statuses) !== JSON.stringify(expected); i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 200));
        const { runs } = await client.call('runs', {});
        const byId = new Map(runs.map((r: { run_id: string; status: string }) => [r.run_id, r.status]));
        statuses = ids.map((id) => byId.get(id));
      }
      expect(statuses).toEqual(expected);
    }

    // Over HTTP too, either node answers for any job.
    const status = await fetch(`${nodes[1].httpUrl}/training/${rest[0].job_id}/status`);
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ job_id: rest[0].job_id, status: 'completed' });

    // Health and metrics tell the whole cluster: both workers, every job.
    // The queue's depth is read from Redis once a second, and B has just queued the evaluation, so
    // its figure may still count that job until the next read.
    let health = await b.call('health', {});
    for (let i = 0; i < 25 && health.cluster.queue_depth !== 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      health = await b.call('health', {});
    }
    expect(health.cluster).toMatchObject({ connected: true, workers: 2, queue_depth: 0 });
    expect(health.cluster.jobs.completed).toBeGreaterThanOrEqual(6);
    expect(health.cluster.jobs.stopped).toBe(1);
    const metrics = parsePrometheus(await (await fetch(`${nodes[0].httpUrl}/metrics`)).text());
    expect(metrics.get('palestra_cluster_workers')).toBe(2);
    expect(metrics.get('palestra_jobs{state="stopped"}')).toBe(1);

    // A node going down loses its sockets only: a job submitted there finishes, and B tells it.
    const orphan = await a.call('train', { ...short, seed: 50, name: 'cluster-orphan' });
    await nodes[0].kill();
    let record = await b.call('job', { job_id: orphan.job_id });
    for (let i = 0; i < 600 && !['completed', 'stopped', 'failed'].includes(record.status); i++) {
      await new Promise((r) => setTimeout(r, 200));
      record = await b.call('job', { job_id: orphan.job_id });
    }
    expect(record).toMatchObject({ status: 'completed', model: 'cluster-orphan', result: { timesteps: 1024 } });
    expect((await b.call('models', {})).models.map((m: { name: string }) => m.name)).toContain('cluster-orphan');

    // A name in use on the cluster is refused on the other node too.
    await expect(b.call('train', { ...short, name: 'cluster-short-0' })).rejects.toMatchObject({ data: expect.objectContaining({ model: 'cluster-short-0' }) });
  });
});
