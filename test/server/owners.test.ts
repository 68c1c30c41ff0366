/**
 * With API keys, jobs and models belong to the key's name: another user
 * finds nothing (`job_not_found`, `model_not_found`), a second tab with the
 * same key finds everything, an admin sees all; per-user quotas hold.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PalestraServer } from '../../src';
import { RpcClient, RpcError, rejection, startTestServer } from '../helpers/server';
import { parsePrometheus } from '../helpers/prometheus';
import { rawRequest } from '../helpers/raw_http';
import { finalFrame } from '../train/helpers';

const dir = mkdtempSync(join(tmpdir(), 'palestra-owners-'));
const keysFile = join(dir, 'keys.json');
writeFileSync(keysFile, JSON.stringify({ 'alice-key': { name: 'alice' }, 'bob-key': { name: 'bob' }, 'ops-key': { name: 'ops', admin: true } }));

function as(server: PalestraServer, key: string): Promise<RpcClient> {
  return RpcClient.connect(`${server.url}/?access_token=${key}`);
}

async function errorName(promise: Promise<unknown>): Promise<string> {
  return ((await rejection<RpcError>(promise)).data as { name: string }).name;
}

describe('ownership', () => {
  let server: PalestraServer;
  let alice: RpcClient;
  let bob: RpcClient;
  let jobId: string;

  beforeAll(async () => {
    server = await startTestServer({ apiKeysFile: keysFile });
    alice = await as(server, 'alice-key');
    bob = await as(server, 'bob-key');
    const started = await alice.call('train', { env_id: 'CartPole-v1', total_timesteps: 256, seed: 1, name: 'alice-model' });
    jobId = started.job_id;
    await finalFrame(alice, jobId);
  }, 60000);

  afterAll(async () => {
    await alice.close();
    await bob.close();
    await server.close();
  });

  it("another user finds none of Alice's job: job_not_found, never forbidden", async () => {
    for (const method of ['job', 'stop', 'subscribe']) expect([method, await errorName(bob.call(method, { job_id: jobId }))]).toEqual([method, 'job_not_found']);
    expect((await bob.call('jobs', {})).jobs.map((j: { job_id: string }) => j.job_id)).not.toContain(jobId);
  });

  it("another user finds none of Alice's model: model_not_found for every use", async () => {
    expect((await bob.call('models', {})).models.map((m: { name: string }) => m.name)).not.toContain('alice-model');
    expect(await errorName(bob.call('models', { name: 'alice-model' }))).toBe('model_not_found');
    expect(await errorName(bob.call('predict', { model: 'alice-model', observation: [0, 0, 0, 0] }))).toBe('model_not_found');
    expect(await errorName(bob.call('evaluate', { model: 'alice-model', episodes: 1 }))).toBe('model_not_found');
    expect(await errorName(bob.call('delete_model', { name: 'alice-model' }))).toBe('model_not_found');
    // Still there for Alice.
    expect((await alice.call('models', { name: 'alice-model' })).models[0]).toMatchObject({ name: 'alice-model', owner: 'alice' });
  });

  it('another tab (or a reloaded page) with the same key sees its jobs and models', async () => {
    const tab = await as(server, 'alice-key');
    const job = await tab.call('job', { job_id: jobId });
    expect(job).toMatchObject({ job_id: jobId, owner: 'alice', status: 'completed' });
    expect((await tab.call('jobs', {})).jobs.map((j: { job_id: string }) => j.job_id)).toContain(jobId);
    expect((await tab.call('predict', { model: 'alice-model', observation: [0, 0, 0, 0] })).model).toBe('alice-model');
    await tab.close();
  });

  it('an admin key sees and uses everything', async () => {
    const ops = await as(server, 'ops-key');
    expect(await ops.call('job', { job_id: jobId })).toMatchObject({ owner: 'alice' });
    expect((await ops.call('jobs', {})).jobs.map((j: { job_id: string }) => j.job_id)).toContain(jobId);
    expect((await ops.call('models', {})).models.map((m: { name: string }) => m.name)).toContain('alice-model');
    expect((await ops.call('predict', { model: 'alice-model', observation: [0, 0, 0, 0] })).model).toBe('alice-model');
    await ops.close();
    // /metrics reports the jobs by state.
    const samples = parsePrometheus((await rawRequest(server.httpUrl, 'GET', '/metrics', { access_token: 'ops-key' })).body);
    expect(samples.get('palestra_jobs{state="completed"}')).toBe(1);
    expect(samples.get('palestra_job_queue_depth')).toBe(0);
  });
});

describe('per-user quotas', () => {
  it('refuse a job past --max-jobs-per-user and a model past --max-models-per-user, naming the quota', async () => {
    const server = await startTestServer({ apiKeysFile: keysFile, maxJobsPerUser: 1, maxModelsPerUser: 1 });
    const alice = await as(server, 'alice-key');
    const bob = await as(server, 'bob-key');
    try {
      const long = await alice.call('train', { env_id: 'CartPole-v1', total_timesteps: 1_000_000, seed: 1, name: 'a-long' });
      const refused = await rejection<RpcError>(alice.call('train', { env_id: 'CartPole-v1', total_timesteps: 256, name: 'a-second' }));
      expect(refused.data).toMatchObject({ name: 'quota_exceeded', limit: 'max_jobs_per_user', max_jobs_per_user: 1 });
      // Bob's quota is his own: his job is accepted (it waits for a free slot).
      const bobs = await bob.call('train', { env_id: 'CartPole-v1', total_timesteps: 256, seed: 2, name: 'b-model' });
      expect(['queued', 'running']).toContain(bobs.status);
      // Stopping keeps what was learned: a saved model (once train.done says so), which fills Alice's model quota.
      expect((await alice.call('stop', { job_id: long.job_id })).status).toBe('saving');
      expect((await finalFrame(alice, long.job_id)).params).toMatchObject({ status: 'stopped', model: 'a-long' });
      await finalFrame(bob, bobs.job_id);
      const full = await rejection<RpcError>(alice.call('train', { env_id: 'CartPole-v1', total_timesteps: 256, name: 'a-third' }));
      expect(full.data).toMatchObject({ name: 'quota_exceeded', limit: 'max_models_per_user', max_models_per_user: 1 });
      await alice.call('delete_model', { name: 'a-long' });
      const again = await alice.call('train', { env_id: 'CartPole-v1', total_timesteps: 256, seed: 3, name: 'a-fourth' });
      await finalFrame(alice, again.job_id);
    } finally {
      await alice.close();
      await bob.close();
      await server.close();
    }
  }, 60000);
});
