/**
 * Runs that can be resumed and kept: `init_model` continues a saved policy
 * (weights, Adam's state, wrapper statistics, step count and curve),
 * `checkpoint_freq` saves numbered checkpoints, `save_best` keeps the best
 * evaluated policy; training in Gymnasium's wrappers saves their statistics.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PalestraServer } from '../../src';
import { registry } from '../../src/envs';
import { Policy } from '../../src/train/core/policy';
import { planFromJSON, planToJSON, planTraining } from '../../src/train/jobs/runner';
import { RpcClient, startTestServer } from '../helpers/server';
import { finalFrame } from './helpers';

// One update is n_envs × n_steps = 256 steps and n_epochs Adam steps (one minibatch an epoch); the tests count in those.
const PPO = { n_envs: 8, n_steps: 32, batch_size: 256, n_epochs: 10, learning_rate: 1e-3, hidden_size: 64 };

let server: PalestraServer;
let client: RpcClient;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'palestra-resume-'));
  server = await startTestServer({ dataDir });
  client = await RpcClient.connect(server.url);
});

afterAll(async () => {
  client.close();
  await server.close();
});

/** Trains and answers the `train.done` summary. */
async function train(params: Record<string, unknown>): Promise<any> {
  const reply = await client.call('train', params);
  const frame = await finalFrame(client, reply.job_id, 120_000);
  expect(frame.method).toBe('train.done');
  return frame.params;
}

/** A model file as saved. */
function modelFile(name: string): any {
  return JSON.parse(readFileSync(join(dataDir, 'models', `${name}.json`), 'utf8'));
}

describe('init_model', () => {
  it('continues the curve from the saved step count, at the saved policy’s performance, with Adam’s state', async () => {
    const a = await train({ env_id: 'CartPole-v1', algorithm: 'ppo', hyperparameters: { ...PPO, eval_freq: 0, eval_episodes: 10 }, total_timesteps: 12_288, seed: 3, name: 'resume-a' });
    const saved = modelFile('resume-a');
    expect(saved.timesteps).toBe(12_288);
    expect(saved.optimizers.policy.t).toBe((12_288 / 256) * 10);
    const trained = saved.evaluation.mean_return;

    // One update more, evaluated right after it; a run from scratch with the same budget for comparison.
    const hp = { ...PPO, eval_freq: 256, eval_episodes: 10 };
    const b = await train({ env_id: 'CartPole-v1', init_model: 'resume-a', hyperparameters: hp, total_timesteps: 256, seed: 4, name: 'resume-b' });
    const fresh = await train({ env_id: 'CartPole-v1', algorithm: 'ppo', hyperparameters: hp, total_timesteps: 256, seed: 4, name: 'resume-fresh' });
    expect(b.timesteps).toBe(12_288 + 256);
    expect(b.algorithm).toBe('ppo');
    const resumed = modelFile('resume-b');
    expect(resumed.init_model).toBe('resume-a');
    expect(resumed.lineage).toEqual(['resume-a']);
    // The curve and the evaluations continue the saved ones.
    expect(resumed.curve.slice(0, saved.curve.length)).toEqual(saved.curve);
    expect(resumed.curve[saved.curve.length].timesteps).toBeGreaterThan(12_288);
    expect(resumed.evaluations.slice(0, saved.evaluations.length)).toEqual(saved.evaluations);
    expect(resumed.evaluations[resumed.evaluations.length - 1].timesteps).toBe(12_544);
    expect(resumed.episodes).toBeGreaterThanOrEqual(saved.episodes);
    // Adam continued: its step count went on from the saved one, by one update's minibatches.
    expect(resumed.optimizers.policy.t).toBe(saved.optimizers.policy.t + 10);
    // It starts where the saved policy was, far above a policy trained from scratch for as long.
    const start = resumed.evaluation.mean_return;
    const scratch = modelFile('resume-fresh').evaluation.mean_return;
    expect(trained).toBeGreaterThan(3 * scratch);
    expect(start).toBeGreaterThan(0.5 * trained);
    expect(start).toBeGreaterThan(2 * scratch);

    // The run record names the model it continued.
    const { runs } = await client.call('runs', {});
    expect(runs.find((r: any) => r.model === 'resume-b')).toMatchObject({ init_model: 'resume-a' });
    expect(runs.find((r: any) => r.model === 'resume-a')).toMatchObject({ init_model: null });

    // A chain of two: the lineage grows.
    await train({ env_id: 'CartPole-v1', init_model: 'resume-b', total_timesteps: 256, seed: 5, name: 'resume-c' });
    expect(modelFile('resume-c').lineage).toEqual(['resume-a', 'resume-b']);
    expect(modelFile('resume-c').timesteps).toBe(12_288 + 512);
  }, 180_000);

  it('continues DQN, SAC, TD3 and Q-learning models from their saved weights and optimiser state', async () => {
    const weights = (name: string) => new Float32Array(new Uint8Array(Buffer.from(modelFile(name).weights.data, 'base64')).buffer);
    // DQN: no gradient step before learning_starts, so the continued network is the saved one exactly.
    await train({ env_id: 'CartPole-v1', algorithm: 'dqn', hyperparameters: { learning_starts: 100, eval_freq: 0, eval_episodes: 1 }, total_timesteps: 600, seed: 1, name: 'resume-dqn' });
    expect(modelFile('resume-dqn').optimizers.q.t).toBeGreaterThan(0);
    await train({ env_id: 'CartPole-v1', init_model: 'resume-dqn', hyperparameters: { learning_starts: 1000 }, total_timesteps: 50, seed: 2, name: 'resume-dqn-2' });
    expect(weights('resume-dqn-2')).toEqual(weights('resume-dqn'));
    expect(modelFile('resume-dqn-2').optimizers.q.t).toBe(modelFile('resume-dqn').optimizers.q.t);
    // SAC and TD3 likewise, α and all three optimisers included.
    for (const algorithm of ['sac', 'td3']) {
      await train({ env_id: 'Pendulum-v1', algorithm, hyperparameters: { learning_starts: 64, batch_size: 32, eval_freq: 0, eval_episodes: 1 }, total_timesteps: 200, seed: 1, name: `resume-${algorithm}` });
      await train({ env_id: 'Pendulum-v1', init_model: `resume-${algorithm}`, hyperparameters: { learning_starts: 1000 }, total_timesteps: 20, seed: 2, name: `resume-${algorithm}-2` });
      expect(weights(`resume-${algorithm}-2`)).toEqual(weights(`resume-${algorithm}`));
      expect(modelFile(`resume-${algorithm}-2`).optimizers.critic.t).toBe(modelFile(`resume-${algorithm}`).optimizers.critic.t);
      expect(modelFile(`resume-${algorithm}`).optimizers.critic.t).toBeGreaterThan(0);
    }
    // Q-learning: one more step changes at most the one entry it updates.
    await train({ env_id: 'FrozenLake-v1', env_kwargs: { is_slippery: false }, algorithm: 'q_learning', total_timesteps: 3000, seed: 1, name: 'resume-q' });
    await train({ env_id: 'FrozenLake-v1', init_model: 'resume-q', total_timesteps: 1, seed: 2, name: 'resume-q-2' });
    const before = weights('resume-q');
    const after = weights('resume-q-2');
    expect(before.some((v) => v !== 0)).toBe(true);
    expect(after.filter((v, i) => v !== before[i]).length).toBeLessThanOrEqual(1);
    expect(modelFile('resume-q-2').env_kwargs).toEqual({ is_slippery: false });
    expect(modelFile('resume-q-2').timesteps).toBe(3001);
  }, 120_000);

  it('continues REINFORCE, GRPO and A2C models from their saved weights and Adam state', async () => {
    const weights = (name: string) => new Float32Array(new Uint8Array(Buffer.from(modelFile(name).weights.data, 'base64')).buffer);
    // REINFORCE and GRPO: 5 more steps end no episode of their side-by-side copies, so no update: the same weights.
    for (const algorithm of ['reinforce', 'grpo']) {
      await train({ env_id: 'CartPole-v1', algorithm, hyperparameters: { eval_freq: 0, eval_episodes: 1 }, total_timesteps: 600, seed: 1, name: `resume-${algorithm}` });
      expect(modelFile(`resume-${algorithm}`).optimizers.policy.t).toBeGreaterThan(0);
      await train({ env_id: 'CartPole-v1', init_model: `resume-${algorithm}`, total_timesteps: 5, seed: 2, name: `resume-${algorithm}-2` });
      expect(weights(`resume-${algorithm}-2`)).toEqual(weights(`resume-${algorithm}`));
      expect(modelFile(`resume-${algorithm}-2`).optimizers.policy.t).toBe(modelFile(`resume-${algorithm}`).optimizers.policy.t);
    }
    // A2C with Adam: one more rollout is one more step of the saved optimiser.
    await train({ env_id: 'CartPole-v1', algorithm: 'a2c', hyperparameters: { optimizer: 'adam', eval_freq: 0, eval_episodes: 1 }, total_timesteps: 400, seed: 1, name: 'resume-a2c' });
    await train({ env_id: 'CartPole-v1', init_model: 'resume-a2c', total_timesteps: 40, seed: 2, name: 'resume-a2c-2' });
    expect(modelFile('resume-a2c-2').optimizers.policy.t).toBe(modelFile('resume-a2c').optimizers.policy.t + 1);
  }, 120_000);

  it('refuses a model that does not fit the run, saying why', async () => {
    await train({ env_id: 'CartPole-v1', algorithm: 'ppo', hyperparameters: { ...PPO, eval_freq: 0, eval_episodes: 1 }, total_timesteps: 256, seed: 1, name: 'resume-small' });
    const refuse = (params: Record<string, unknown>) => expect(client.call('train', { env_id: 'CartPole-v1', init_model: 'resume-small', total_timesteps: 256, ...params })).rejects.toMatchObject({ code: 3005 });
    await refuse({ algorithm: 'dqn' });
    await refuse({ env_id: 'Acrobot-v1' });
    await refuse({ hyperparameters: { hidden_size: 8 } });
    await refuse({ wrappers: [{ name: 'NormalizeObservation' }] });
    await expect(client.call('train', { env_id: 'CartPole-v1', init_model: 'no-such-model' })).rejects.toMatchObject({ code: 3000 });
  }, 60_000);
});

describe('a queued resumed run', () => {
  it('keeps its saved weights and optimiser state through queue.json', () => {
    const optimizers = { policy: { t: 7, m: Float32Array.of(0.5, 0, 1), v: Float32Array.of(2, 3, 4) } };
    const init = { model: 'resume-a', params: Float32Array.of(1.5, -2, 3.25), optimizers, wrappers: [], timesteps: 5, episodes: 1, elapsed_s: 1, curve: [], evaluations: [], lineage: ['resume-a'] };
    const plan = { ...planTraining(registry, { env_id: 'CartPole-v1', algorithm: 'ppo', seed: 1 }), init };
    const back = planFromJSON(JSON.parse(JSON.stringify(planToJSON(plan))));
    expect(back.init!.params).toEqual(plan.init.params);
    expect(back.init!.optimizers).toEqual(plan.init.optimizers);
    expect({ ...back, init: null }).toEqual({ ...plan, init: null });
  });
});

describe('checkpoint_freq and save_best', () => {
  it('saves numbered checkpoints every checkpoint_freq steps, each a loadable model, and keeps the best evaluated policy', async () => {
    const done = await train({
      env_id: 'CartPole-v1',
      algorithm: 'ppo',
      hyperparameters: { ...PPO, eval_freq: 512, eval_episodes: 5 },
      total_timesteps: 4096,
      seed: 11,
      name: 'ck',
      checkpoint_freq: 1024,
      save_best: true,
    });
    expect(done.timesteps).toBe(4096);
    const names: string[] = (await client.call('models')).models.map((m: any) => m.name).filter((n: string) => n.startsWith('ck-'));
    expect(names.filter((n) => /^ck-\d+$/.test(n)).sort()).toEqual(['ck-1024', 'ck-2048', 'ck-3072', 'ck-4096']);
    for (const n of ['ck-1024', 'ck-2048', 'ck-3072', 'ck-4096']) {
      const file = modelFile(n);
      expect(file.timesteps).toBe(Number(n.slice(3)));
      expect(file.stop_reason).toBe('checkpoint');
      expect(file.optimizers.policy.t).toBeGreaterThan(0);
    }
    // A checkpoint is a model like any other: evaluated, and continued.
    const evaluation = await client.call('evaluate', { model: 'ck-2048', episodes: 3, seed: 0 });
    expect(evaluation.episodes).toBe(3);
    const more = await train({ env_id: 'CartPole-v1', init_model: 'ck-2048', total_timesteps: 256, seed: 2, name: 'ck-more' });
    expect(more.timesteps).toBe(2048 + 256);

    // The best: its evaluation is the highest of the run's periodic evaluations (the first to reach it).
    const final = modelFile('ck');
    const periodic = final.evaluations.filter((e: any) => !e.confirmation);
    const best = modelFile('ck-best');
    const top = Math.max(...periodic.map((e: any) => e.mean_return));
    expect(best.evaluation.mean_return).toBe(top);
    expect(best.timesteps).toBe(periodic.find((e: any) => e.mean_return === top).timesteps);
    expect(best.stop_reason).toBe('best');
    // And the saved weights do what that evaluation says: the same seeds give the same return.
    const again = await client.call('evaluate', { model: 'ck-best', episodes: 5, seed: 11 + 1_000_000 });
    expect(again.mean_return).toBe(top);
  }, 180_000);

  it('needs evaluations for save_best, and refuses names that checkpoints would break', async () => {
    await expect(client.call('train', { env_id: 'CartPole-v1', total_timesteps: 256, save_best: true, hyperparameters: { eval_freq: 0 } })).rejects.toMatchObject({ code: -32602 });
    await expect(client.call('train', { env_id: 'CartPole-v1', total_timesteps: 256, checkpoint_freq: 128, name: 'x'.repeat(62) })).rejects.toMatchObject({ code: 3001 });
  });
});

describe('training in wrappers', () => {
  it('saves NormalizeObservation’s statistics, which predict and evaluate apply, and a resumed run continues them', async () => {
    const wrappers = [{ name: 'NormalizeObservation' }, { name: 'NormalizeReward', kwargs: { gamma: 0.99 } }];
    const done = await train({ env_id: 'CartPole-v1', algorithm: 'ppo', hyperparameters: { ...PPO, eval_freq: 0, eval_episodes: 3 }, total_timesteps: 1024, seed: 8, name: 'wrapped', wrappers });
    // Returns are the environment's own, not the normalised rewards: CartPole pays 1 a step.
    expect(Number.isInteger(done.last_return)).toBe(true);
    const shaped = await train({ env_id: 'CartPole-v1', algorithm: 'ppo', hyperparameters: { ...PPO, eval_freq: 0, eval_episodes: 2 }, total_timesteps: 512, seed: 8, name: 'shaped', wrappers: [{ name: 'TransformReward', kwargs: { func: 'simple_cartpole' } }] });
    expect(Number.isInteger(shaped.last_return)).toBe(true);
    const file = modelFile('wrapped');
    expect(file.wrappers.map((w: any) => w.name)).toEqual(['NormalizeObservation', 'NormalizeReward']);
    const rms = file.wrappers[0].obs_rms;
    // Every step of the 8 copies and every reset updated the one shared set of statistics.
    // (8 first resets, 1024 steps, and the reset after each of the episodes that ended).
    expect(rms.count).toBeCloseTo(1e-4 + 8 + 1024 + file.episodes, 6);
    expect(file.wrappers[1].return_rms.count).toBeCloseTo(1024 + 1e-4, 6);

    // predict normalises with the saved statistics before the network sees the observation.
    const obs = [0.02, -0.3, 0.04, 0.5];
    const p = await client.call('predict', { model: 'wrapped', observation: obs });
    const policy = new Policy(file.policy).load(new Float32Array(Buffer.from(file.weights.data, 'base64').buffer.slice(0)));
    const f = Math.fround;
    const normalised = Float32Array.from(obs, (o, i) => f(f(f(o) - f(rms.mean[i])) / f(Math.sqrt(f(rms.var[i] + f(1e-8))))));
    const expected = policy.predict(normalised, normalised, true, null as never);
    expect(p.action_probs[0]).toBeCloseTo(expected.action_probs![0], 6);
    expect(p.value).toBeCloseTo(expected.value!, 5);
    const raw = policy.predict(Float32Array.from(obs), obs, true, null as never);
    expect(Math.abs(raw.value! - expected.value!)).toBeGreaterThan(1e-6);

    const evaluation = await client.call('evaluate', { model: 'wrapped', episodes: 2, seed: 0 });
    expect(evaluation.returns.every((r: number) => Number.isInteger(r))).toBe(true);

    await train({ env_id: 'CartPole-v1', init_model: 'wrapped', total_timesteps: 256, seed: 9, name: 'wrapped-more' });
    const more = modelFile('wrapped-more');
    expect(more.wrappers[0].obs_rms.count).toBeCloseTo(rms.count + 8 + 256 + (more.episodes - file.episodes), 6);
  }, 120_000);
});

describe('make with wrappers', () => {
  it('answers the wrapped spaces and steps through the wrappers', async () => {
    const made = await client.call('make', { env_id: 'CartPole-v1', wrappers: [{ name: 'FrameStackObservation', kwargs: { stack_size: 4 } }, { name: 'RecordEpisodeStatistics' }] });
    expect(made.observation_space).toMatchObject({ name: 'Box', shape: [4, 4], dtype: 'float32' });
    expect(await client.call('observation_space', { instance_id: made.instance_id })).toEqual(made.observation_space);
    const [obs] = await client.call('reset', { instance_id: made.instance_id, seed: 0 });
    expect(obs).toHaveLength(4);
    expect(obs[0]).toEqual(obs[3]);
    let info: any = {};
    for (let done = false; !done; ) {
      const [, , term, trunc, i] = await client.call('step', { instance_id: made.instance_id, action: 0 });
      done = term || trunc;
      info = i;
    }
    expect(info.episode).toMatchObject({ r: expect.any(Number), l: expect.any(Number), t: expect.any(Number) });
    expect(info.episode.r).toBe(info.episode.l);
    const vec = await client.call('make_vec', { env_id: 'CartPole-v1', num_envs: 2, wrappers: [{ name: 'FrameStackObservation', kwargs: { stack_size: 2 } }] });
    expect(vec.single_observation_space).toMatchObject({ shape: [2, 4] });
    expect(vec.observation_space).toMatchObject({ shape: [2, 2, 4] });
    const [batch] = await client.call('reset', { instance_id: vec.instance_id, seed: 1 });
    expect(batch[1][0]).toEqual(batch[1][1]);
    const rescaled = await client.call('make', { env_id: 'Pendulum-v1', wrappers: [{ name: 'RescaleAction', kwargs: { min_action: -1, max_action: 1 } }] });
    expect(rescaled.action_space).toMatchObject({ low: [-1], high: [1] });
    await expect(client.call('make', { env_id: 'CartPole-v1', wrappers: [{ name: 'Shuffle' }] })).rejects.toMatchObject({ code: 1020 });
    await expect(client.call('make', { env_id: 'CartPole-v1', wrappers: [{ name: 'ClipAction' }] })).rejects.toMatchObject({ code: 1020 });
    await expect(client.call('make', { env_id: 'CartPole-v1', wrappers: [{ name: 'TransformReward', kwargs: { func: 'nope' } }] })).rejects.toMatchObject({ code: 1020 });
  });
});
