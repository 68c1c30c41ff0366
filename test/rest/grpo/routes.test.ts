/** The GRPO training API's routes, with its request and reply shapes, on Palestra's own jobs and models. */
import type { PalestraServer } from '../../../src';
import { RpcClient, startTestServer } from '../../helpers/server';
import { call, finished } from './http';

let server: PalestraServer;
let base: string;
let trained: { job_id: string; status: any };

beforeAll(async () => {
  server = await startTestServer();
  base = server.httpUrl;
  const started = await call(base, 'POST', '/train', { env_name: 'CartPole-v1', total_timesteps: 256, model_name: 'grpo_test', seed: 3 });
  expect(started.status).toBe(200);
  trained = { job_id: started.body.job_id, status: await finished(base, started.body.job_id) };
}, 120_000);
afterAll(() => server.close());

describe('POST /train', () => {
  it('answers the job id, "Training started" and the config with its defaults, and which algorithm runs', async () => {
    const res = await call(base, 'POST', '/train', { total_timesteps: 64, model_name: 'defaults_model', n_epochs: 2 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ job_id: expect.any(String), message: 'Training started' });
    expect(res.body.config).toMatchObject({
      env_name: 'CartPole-v1',
      total_timesteps: 64,
      learning_rate: 0.0003,
      n_steps: 32,
      batch_size: 64,
      n_epochs: 2,
      reward_function_type: 'optimized_cartpole',
      model_name: 'defaults_model',
      algorithm: 'grpo',
    });
    expect(res.body.config).not.toHaveProperty('requested_algorithm');
    expect(res.body.config.hyperparameters).toMatchObject({ learning_rate: 0.0003, n_steps: 32, batch_size: 64, n_epochs: 2 });
    await finished(base, res.body.job_id);
  });

  it('takes an empty body as every default', async () => {
    const res = await call(base, 'POST', '/train', undefined);
    expect(res.status).toBe(200);
    expect(res.body.config).toMatchObject({ env_name: 'CartPole-v1', total_timesteps: 10000 });
    expect((await call(base, 'POST', `/training/${res.body.job_id}/stop`)).status).toBe(200);
  });

  it('answers 422 naming each field that does not fit, in FastAPI\'s shape, with the catalogue code', async () => {
    const res = await call(base, 'POST', '/train', { total_timesteps: 0, learning_rate: 'fast', colour: 'red' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe(4010);
    expect(res.body.detail).toEqual(
      expect.arrayContaining([
        { loc: ['body', 'total_timesteps'], msg: 'Input should be greater than or equal to 1', type: 'greater_than_equal', input: 0 },
        { loc: ['body', 'learning_rate'], msg: 'Input should be a valid number', type: 'float_type', input: 'fast' },
        { loc: ['body', 'colour'], msg: 'Extra inputs are not permitted', type: 'extra_forbidden', input: 'red' },
      ]),
    );
  });

  it('answers 422 json_invalid for a body that is not JSON', async () => {
    const res = await call(base, 'POST', '/train', '{"env_name": ');
    expect(res.status).toBe(422);
    expect(res.body.detail[0]).toMatchObject({ loc: ['body'], type: 'json_invalid' });
  });

  it('answers 400 with detail for an environment, algorithm or reward function it does not have', async () => {
    const env = await call(base, 'POST', '/train', { env_name: 'NoSuchEnv-v0' });
    expect(env.status).toBe(400);
    expect(env.body).toMatchObject({ detail: expect.stringContaining('NoSuchEnv-v0'), name: 'env_not_found', code: 1000 });
    const algorithm = await call(base, 'POST', '/train', { algorithm: 'trpo' });
    expect(algorithm.status).toBe(400);
    expect(algorithm.body.name).toBe('unknown_algorithm');
    const reward = await call(base, 'POST', '/train', { reward_function_type: 'no_such_reward' });
    expect(reward.status).toBe(400);
    expect(reward.body).toMatchObject({ name: 'unknown_reward_function', code: 2020 });
    expect(reward.body.data.available).toEqual(expect.arrayContaining(['optimized_cartpole', 'simple_cartpole']));
    // A CartPole reward function cannot read another environment's observations.
    const misfit = await call(base, 'POST', '/train', { env_name: 'MountainCar-v0', reward_function_type: 'simple_cartpole' });
    expect(misfit.status).toBe(400);
    expect(misfit.body.name).toBe('unknown_reward_function');
  });

  it('answers 400 for a GRPO field the chosen algorithm does not have', async () => {
    const res = await call(base, 'POST', '/train', { algorithm: 'dqn', n_epochs: 3 });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ name: 'invalid_hyperparameters', detail: expect.stringContaining('n_epochs') });
  });

  it('answers 409 for a model name already taken', async () => {
    const res = await call(base, 'POST', '/train', { model_name: 'grpo_test' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ name: 'model_exists', detail: expect.stringContaining('grpo_test') });
  });
});

describe('GET /training/{job_id}/status and /training/jobs', () => {
  it('reports a finished job as the GRPO API does, with the latest figures as metrics', () => {
    const s = trained.status;
    expect(s).toMatchObject({ job_id: trained.job_id, status: 'completed', progress: 1, current_timesteps: 256, total_timesteps: 256, error_message: null });
    expect(Date.parse(s.start_time)).toBeLessThanOrEqual(Date.parse(s.end_time));
    expect(s.metrics).toMatchObject({ episodes: expect.any(Number), mean_return_100: expect.any(Number) });
    // CartPole's own return is the episode's length, so never more than the steps taken.
    expect(s.metrics.mean_return_100).toBeLessThanOrEqual(s.current_timesteps);
  });

  it('answers 404 for a job it does not know', async () => {
    const res = await call(base, 'GET', '/training/0123456789abcdef/status');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ detail: 'No job 0123456789abcdef', code: 2000 });
  });

  it('lists jobs with job_id, status and progress, and the socket sees the same jobs', async () => {
    const res = await call(base, 'GET', '/training/jobs');
    expect(res.status).toBe(200);
    expect(res.body.jobs).toEqual(expect.arrayContaining([expect.objectContaining({ job_id: trained.job_id, status: 'completed', progress: 1 })]));
    const client = await RpcClient.connect(server.url);
    try {
      expect((await client.call('job', { job_id: trained.job_id })).model).toBe('grpo_test');
      const viaSocket = await client.call('train', { env_id: 'CartPole-v1', total_timesteps: 64, name: 'socket_model' });
      const listed = await call(base, 'GET', '/training/jobs');
      expect(listed.body.jobs.map((j: { job_id: string }) => j.job_id)).toContain(viaSocket.job_id);
      expect((await finished(base, viaSocket.job_id)).status).toBe('completed');
    } finally {
      await client.close();
    }
  });
});

describe('POST /training/{job_id}/stop', () => {
  it('stops a running job, which keeps its policy as its model', async () => {
    const started = await call(base, 'POST', '/train', { total_timesteps: 1_000_000, model_name: 'stopped_model' });
    const stopped = await call(base, 'POST', `/training/${started.body.job_id}/stop`);
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ message: 'Training job stopped', job_id: started.body.job_id });
    const status = await finished(base, started.body.job_id);
    expect(status.status).toBe('stopped');
    expect(status.current_timesteps).toBeLessThan(1_000_000);
    const models = await call(base, 'GET', '/models');
    expect(models.body.models.map((m: { name: string }) => m.name)).toContain('stopped_model');
  });

  it('answers 404 for a job it does not know', async () => {
    const res = await call(base, 'POST', '/training/nope/stop');
    expect(res.status).toBe(404);
    expect(res.body.detail).toBe('No job nope');
  });
});

describe('POST /inference', () => {
  it('answers action, action_probs and value (null: GRPO learns no critic) for one observation', async () => {
    const res = await call(base, 'POST', '/inference', { model_name: 'grpo_test', observation: [0.1, 0.0, 0.05, 0.0], deterministic: true });
    expect(res.status).toBe(200);
    expect([0, 1]).toContain(res.body.action);
    expect(res.body.action_probs).toHaveLength(2);
    expect(res.body.action_probs[0] + res.body.action_probs[1]).toBeCloseTo(1, 6);
    expect(res.body.action).toBe(res.body.action_probs[1] > res.body.action_probs[0] ? 1 : 0);
    expect(res.body).toHaveProperty('value', null);
  });

  it('answers a value from a model with a critic', async () => {
    const started = await call(base, 'POST', '/train', { algorithm: 'ppo', total_timesteps: 64, model_name: 'ppo_model' });
    await finished(base, started.body.job_id);
    const res = await call(base, 'POST', '/inference', { model_name: 'ppo_model', observation: [0.1, 0.0, 0.05, 0.0] });
    expect(typeof res.body.value).toBe('number');
  });

  it('answers arrays for a batch of observations, each as that observation alone answers', async () => {
    const observations = [
      [0.1, 0.0, 0.05, 0.0],
      [0.0, 0.5, -0.1, -0.5],
      [-1.0, 0.0, 0.2, 1.0],
    ];
    const res = await call(base, 'POST', '/inference', { model_name: 'grpo_test', observation: observations });
    expect(res.status).toBe(200);
    expect(res.body.action).toHaveLength(3);
    expect(res.body.action_probs).toHaveLength(3);
    expect(res.body.value).toBeNull();
    for (let i = 0; i < 3; i++) {
      const one = await call(base, 'POST', '/inference', { model_name: 'grpo_test', observation: observations[i] });
      expect([res.body.action[i], res.body.action_probs[i]]).toEqual([one.body.action, one.body.action_probs]);
    }
  });

  it('answers 404 for a model it does not have, 400 for an observation the model cannot read, 422 without a model name', async () => {
    const missing = await call(base, 'POST', '/inference', { model_name: 'no_such_model', observation: [0, 0, 0, 0] });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ detail: 'No saved model named no_such_model', code: 3000 });
    const wrong = await call(base, 'POST', '/inference', { model_name: 'grpo_test', observation: [0, 0, 0] });
    expect(wrong.status).toBe(400);
    expect(wrong.body.name).toBe('invalid_observation');
    const unnamed = await call(base, 'POST', '/inference', { observation: [0, 0, 0, 0] });
    expect(unnamed.status).toBe(422);
    expect(unnamed.body.detail).toEqual([{ loc: ['body', 'model_name'], msg: 'Field required', type: 'missing' }]);
  });
});

describe('/models', () => {
  it('lists models as loaded (in memory) or saved, with their metadata', async () => {
    await call(base, 'POST', '/inference', { model_name: 'grpo_test', observation: [0, 0, 0, 0] });
    const res = await call(base, 'GET', '/models');
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(res.body.models.map((m: { name: string }) => [m.name, m]));
    expect(byName.grpo_test).toMatchObject({ name: 'grpo_test', status: 'loaded', env_id: 'CartPole-v1', algorithm: 'grpo', timesteps: 256 });
    expect(byName.socket_model).toMatchObject({ status: 'saved' });
  });

  it('deletes a model from memory and disk, then answers 404 for it', async () => {
    const started = await call(base, 'POST', '/train', { total_timesteps: 64, model_name: 'to_delete' });
    await finished(base, started.body.job_id);
    await call(base, 'POST', '/inference', { model_name: 'to_delete', observation: [0, 0, 0, 0] });
    const deleted = await call(base, 'DELETE', '/models/to_delete');
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ message: 'Model to_delete deleted' });
    expect((await call(base, 'GET', '/models')).body.models.map((m: { name: string }) => m.name)).not.toContain('to_delete');
    expect((await call(base, 'POST', '/inference', { model_name: 'to_delete', observation: [0, 0, 0, 0] })).status).toBe(404);
    const again = await call(base, 'DELETE', '/models/to_delete');
    expect(again.status).toBe(404);
    expect(again.body.detail).toBe('No saved model named to_delete');
  });
});

describe('/health and /', () => {
  it('GET /health adds status "healthy", timestamp, active_jobs and loaded_models to Palestra\'s own fields', async () => {
    const res = await call(base, 'GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'healthy', active_jobs: 0, version: expect.any(String), uptime_s: expect.any(Number) });
    expect(Math.abs(Date.parse(res.body.timestamp) - Date.now())).toBeLessThan(60_000);
    expect(res.body.loaded_models).toBeGreaterThanOrEqual(1);
  });

  it('GET / lists the endpoints for programs, and browsers still get the page', async () => {
    const res = await call(base, 'GET', '/', undefined, { accept: 'application/json' });
    expect(res.status).toBe(200);
    expect(res.body.endpoints).toMatchObject({
      health: 'GET /health',
      start_training: 'POST /train',
      get_training_status: 'GET /training/{job_id}/status',
      list_training_jobs: 'GET /training/jobs',
      stop_training: 'POST /training/{job_id}/stop',
      inference: 'POST /inference',
      list_models: 'GET /models',
      delete_model: 'DELETE /models/{model_name}',
    });
    expect(res.body).toMatchObject({ docs: '/docs', redoc: '/redoc', openapi: '/openapi.json' });
    const page = await fetch(`${base}/`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  });
});
