/**
 * Vector environments over JSON-RPC: `make_vec` and what it answers, the
 * limits (`--max-vector-envs`, one instance toward `--max-envs`, every copy
 * toward `--max-total-envs`), bad batches refused whole with a catalogue error
 * naming the copy and the value, leaving every copy as it was, the `make_vec`
 * rate limit, and Gymie's framing not seeing vector environments.
 */
import type { PalestraServer } from '../../src';
import { GymieClient, RpcClient, RpcError, rejection, startTestServer } from '../helpers/server';

describe('on a default server', () => {
  let server: PalestraServer;
  let rpc: RpcClient;
  beforeAll(async () => {
    server = await startTestServer();
    rpc = await RpcClient.connect(server.url);
  });
  afterAll(async () => {
    await rpc.close();
    await server.close();
  });

  test("make_vec answers Gymnasium's single and batched spaces", async () => {
    const made = await rpc.call('make_vec', { env_id: 'CartPole-v1', num_envs: 3 });
    expect(made).toMatchObject({
      env_id: 'CartPole-v1',
      num_envs: 3,
      autoreset_mode: 'NextStep',
      encoding: 'json',
      max_episode_steps: 500,
      reward_threshold: 475,
      single_action_space: { name: 'Discrete', n: 2, start: 0 },
      action_space: { name: 'MultiDiscrete', nvec: [2, 2, 2], shape: [3] },
      single_observation_space: { name: 'Box', shape: [4], dtype: 'float32' },
      observation_space: { name: 'Box', shape: [3, 4], dtype: 'float32' },
    });
    expect(await rpc.call('action_space', { instance_id: made.instance_id })).toEqual(made.action_space);
    expect(await rpc.call('observation_space', { instance_id: made.instance_id })).toEqual(made.observation_space);
    expect(await rpc.call('close', { instance_id: made.instance_id })).toBe(true);
    expect(await rpc.call('close', { instance_id: made.instance_id })).toBe(true);
    const gone = await rejection<RpcError>(rpc.call('step', { instance_id: made.instance_id, action: [0, 0, 0] }));
    expect(gone.data.name).toBe('instance_not_found');
  });

  test('copy i is reset with seed + i, as the single environment with that seed', async () => {
    const made = await rpc.call('make_vec', { env_id: 'CartPole-v1', num_envs: 3, seed: 40 });
    const [obs] = await rpc.call('reset', { instance_id: made.instance_id });
    for (let i = 0; i < 3; i++) {
      const one = await rpc.call('make', { env_id: 'CartPole-v1' });
      const [single] = await rpc.call('reset', { instance_id: one.instance_id, seed: 40 + i });
      expect(obs[i]).toEqual(single);
      await rpc.call('close', { instance_id: one.instance_id });
    }
    await rpc.call('close', { instance_id: made.instance_id });
  });

  test('a default server accepts num_envs 1024, and health counts every copy', async () => {
    const before = (await rpc.call('health')).environments;
    const made = await rpc.call('make_vec', { env_id: 'CartPole-v1', num_envs: 1024, seed: 0 });
    expect((await rpc.call('health')).environments).toBe(before + 1024);
    const [obs] = await rpc.call('reset', { instance_id: made.instance_id });
    expect(obs).toHaveLength(1024);
    const [, rewards, terminations] = await rpc.call('step', { instance_id: made.instance_id, action: new Array(1024).fill(1) });
    expect(rewards).toEqual(new Array(1024).fill(1));
    expect(terminations).toEqual(new Array(1024).fill(false));
    await rpc.call('close', { instance_id: made.instance_id });
    expect((await rpc.call('health')).environments).toBe(before);
  });

  test('num_envs past --max-vector-envs is too_many_vector_envs', async () => {
    const refused = await rejection<RpcError>(rpc.call('make_vec', { env_id: 'CartPole-v1', num_envs: 4097 }));
    expect(refused.data).toMatchObject({ name: 'too_many_vector_envs', limit: 4096 });
    expect(refused.code).toBe(1014);
  });

  describe('a bad batch is refused whole and changes no copy', () => {
    let id: string;
    let twin: string;
    beforeEach(async () => {
      id = (await rpc.call('make_vec', { env_id: 'CartPole-v1', num_envs: 4, seed: 7 })).instance_id;
      twin = (await rpc.call('make_vec', { env_id: 'CartPole-v1', num_envs: 4, seed: 7 })).instance_id;
      await rpc.call('reset', { instance_id: id });
      await rpc.call('reset', { instance_id: twin });
    });
    afterEach(async () => {
      await rpc.call('close', { instance_id: id });
      await rpc.call('close', { instance_id: twin });
    });

    /** The next good step of the refused env equals the twin's, which never saw the bad batch. */
    async function unchanged(): Promise<void> {
      const good = [1, 0, 1, 0];
      expect(await rpc.call('step', { instance_id: id, action: good })).toEqual(await rpc.call('step', { instance_id: twin, action: good }));
    }

    test('a batch of the wrong length', async () => {
      const refused = await rejection<RpcError>(rpc.call('step', { instance_id: id, action: [1, 0, 1] }));
      expect(refused.data).toMatchObject({ name: 'invalid_action', num_envs: 4 });
      expect(refused.message).toMatch(/batch of 4 actions.*got 3/);
      await unchanged();
    });

    test('an action outside the single action space names the copy and the value', async () => {
      const refused = await rejection<RpcError>(rpc.call('step', { instance_id: id, action: [1, 0, 1, 2] }));
      expect(refused.data).toMatchObject({ name: 'invalid_action', copy: 3, action: 2 });
      expect(refused.message).toMatch(/copy 3 \(2\)/);
      await unchanged();
    });

    test('a reset_mask of the wrong length', async () => {
      const refused = await rejection<RpcError>(rpc.call('reset', { instance_id: id, options: { reset_mask: [true, false] } }));
      expect(refused.data).toMatchObject({ name: 'invalid_params', num_envs: 4 });
      expect(refused.message).toMatch(/reset_mask.*\(4\), got 2/);
      await unchanged();
    });
  });

  test("Gymie's framing has no make_vec", async () => {
    const made = await rpc.call('make_vec', { env_id: 'CartPole-v1', num_envs: 2 });
    const gymie = await GymieClient.connect(server.url);
    const closed = await gymie.expectClose(JSON.stringify({ method: 'make_vec', params: { env_id: 'CartPole-v1', num_envs: 2 } }));
    expect(closed).toEqual({ code: 1007, reason: 'Method `make_vec` not found' });
    await rpc.call('close', { instance_id: made.instance_id });
  });
});

test('a vector instance counts as one toward --max-envs, its copies toward --max-total-envs', async () => {
  const server = await startTestServer({ maxEnvsPerConnection: 2, maxTotalEnvs: 100 });
  const rpc = await RpcClient.connect(server.url);
  try {
    await rpc.call('make_vec', { env_id: 'CartPole-v1', num_envs: 60 });
    await rpc.call('make', { env_id: 'CartPole-v1' });
    const perConnection = await rejection<RpcError>(rpc.call('make_vec', { env_id: 'CartPole-v1', num_envs: 2 }));
    expect(perConnection.data).toMatchObject({ name: 'too_many_envs', limit: 2 });
    const other = await RpcClient.connect(server.url);
    const total = await rejection<RpcError>(other.call('make_vec', { env_id: 'CartPole-v1', num_envs: 40 }));
    expect(total.data).toMatchObject({ name: 'too_many_total_envs', max_total_envs: 100 });
    expect((await other.call('make_vec', { env_id: 'CartPole-v1', num_envs: 39 })).num_envs).toBe(39);
    await other.close();
  } finally {
    await rpc.close();
    await server.close();
  }
});

test('make_vec is rate limited per connection', async () => {
  const server = await startTestServer({ rateLimits: { make_vec: { perSecond: 0.001, burst: 2 } } });
  const rpc = await RpcClient.connect(server.url);
  try {
    for (let i = 0; i < 2; i++) await rpc.call('close', { instance_id: (await rpc.call('make_vec', { env_id: 'CartPole-v1', num_envs: 2 })).instance_id });
    const limited = await rejection<RpcError>(rpc.call('make_vec', { env_id: 'CartPole-v1', num_envs: 2 }));
    expect(limited.data).toMatchObject({ name: 'rate_limited', limit: 'make_vec', retry_after_s: expect.any(Number) });
  } finally {
    await rpc.close();
    await server.close();
  }
});
