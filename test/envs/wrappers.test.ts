/**
 * Gymnasium's common wrappers: outputs on recorded inputs match the values
 * numpy computes from Gymnasium's formulas (test/envs/fixtures/wrappers_ref.py
 * wrote the fixture), and the wrapped spaces are Gymnasium's.
 */
import { describeSpace as describe_ } from '../../src/api/spaces';
import { jsonRpcValue } from '../../src/server/framing/jsonrpc_codec';
import { Env, Info, StepResult } from '../../src/envs/core';
import { make } from '../../src/envs/registration';
import '../../src/envs';
import { Box } from '../../src/envs/spaces/box';
import { Discrete } from '../../src/envs/spaces/discrete';
import { Tuple } from '../../src/envs/spaces/tuple';
import { flatten, flatten_space, resultType } from '../../src/envs/spaces/utils';
import { applyWrappers, checkWrappers, WrapperStats } from '../../src/envs/wrappers/catalogue';
import { NormalizeObservation } from '../../src/envs/wrappers/normalize_observation';
import { NormalizeReward } from '../../src/envs/wrappers/normalize_reward';
import { RescaleAction } from '../../src/envs/wrappers/rescale_action';
import { ClipAction } from '../../src/envs/wrappers/clip_action';
import { FrameStackObservation } from '../../src/envs/wrappers/frame_stack_observation';
import { TimeAwareObservation } from '../../src/envs/wrappers/time_aware_observation';
import { RecordEpisodeStatistics } from '../../src/envs/wrappers/record_episode_statistics';
import { FlattenObservation } from '../../src/envs/wrappers/flatten_observation';
import ref from './fixtures/wrappers_ref.json';
import type { Space } from '../../src/envs/spaces/space';

/** A space as JSON-RPC sends it. */
const describeSpace = (space: Space<unknown>) => jsonRpcValue(describe_(space)) as Record<string, unknown>;

/** Replays recorded observations and rewards; records the actions it is given. */
class Replay extends Env<Float32Array, unknown> {
  readonly observation_space: Box<Float32Array>;
  readonly action_space: Box;
  readonly actions: unknown[] = [];
  private t = 0;

  constructor(
    private readonly obs: number[][],
    private readonly rewards: number[] = [],
    private readonly terminated: boolean[] = [],
    actionBox = new Box(-1, 1, [1], 'float32'),
  ) {
    super();
    this.observation_space = new Box<Float32Array>(-Infinity, Infinity, [obs[0]?.length ?? 1], 'float32');
    this.action_space = actionBox;
  }

  reset(): [Float32Array, Info] {
    return [Float32Array.from(this.obs[0] ?? [0]), {}];
  }

  step(action: unknown): StepResult<Float32Array> {
    this.actions.push(action);
    const i = this.t++;
    return [Float32Array.from(this.obs[Math.min(i + 1, this.obs.length - 1)] ?? [0]), this.rewards[i] ?? 0, this.terminated[i] ?? false, false, {}];
  }
}

describe('NormalizeObservation', () => {
  it('normalises with float32 running statistics exactly as Gymnasium does', () => {
    const r = ref.normalize_observation;
    const env = new NormalizeObservation(new Replay(r.obs), r.epsilon);
    const seen = [Array.from(env.reset()[0])];
    for (let i = 1; i < r.obs.length; i++) seen.push(Array.from(env.step(new Float32Array(1))[0]));
    seen.forEach((o, i) => o.forEach((v, j) => expect(v).toBe(Math.fround(r.expected[i][j]))));
    expect(Array.from(env.obs_rms.mean)).toEqual(r.mean.map(Math.fround));
    expect(Array.from(env.obs_rms.var)).toEqual(r.var.map(Math.fround));
    expect(env.obs_rms.count).toBeCloseTo(r.count, 12);
  });

  it('makes the space an unbounded float32 Box and freezes when asked', () => {
    const env = new NormalizeObservation(make('CartPole-v1'));
    expect(describeSpace(env.observation_space)).toMatchObject({ name: 'Box', shape: [4], dtype: 'float32' });
    expect((env.observation_space as Box).bounded_below.some(Boolean)).toBe(false);
    env.reset({ seed: 1 });
    env.update_running_mean = false;
    const before = Array.from(env.obs_rms.mean);
    env.step(0);
    expect(Array.from(env.obs_rms.mean)).toEqual(before);
  });
});

describe('NormalizeReward', () => {
  it('scales rewards by the running spread of the discounted return', () => {
    const r = ref.normalize_reward;
    const env = new NormalizeReward(new Replay([[0]], r.rewards, r.terminated), r.gamma, r.epsilon);
    env.reset();
    const seen = r.rewards.map(() => env.step(new Float32Array(1))[1]);
    seen.forEach((v, i) => expect(v).toBeCloseTo(r.expected[i], 12));
    expect(env.return_rms.var[0]).toBeCloseTo(r.var, 10);
  });
});

describe('RescaleAction and ClipAction', () => {
  it('maps [min_action, max_action] affinely onto the Box, in float32', () => {
    const r = ref.rescale_action;
    const inner = new Replay([[0]], [], [], new Box(r.low, r.high, [2], 'float32'));
    const env = new RescaleAction(inner, r.min_action, r.max_action);
    expect(describeSpace(env.action_space)).toMatchObject({ name: 'Box', shape: [2], low: [-1, -1], high: [1, 1], dtype: 'float32' });
    r.actions.forEach((a) => env.step(Float32Array.from(a)));
    inner.actions.forEach((a, i) => expect(Array.from(a as Float32Array)).toEqual(r.expected[i].map(Math.fround)));
  });

  it('clips to the bounds and makes the action space unbounded', () => {
    const inner = make('Pendulum-v1');
    const env = new ClipAction(inner);
    expect((env.action_space as Box).bounded_above.some(Boolean)).toBe(false);
    expect((env.action_space as Box).dtype).toBe('float32');
    expect(Array.from(env.action(Float32Array.of(7)))).toEqual([2]);
    expect(Array.from(env.action(Float32Array.of(-0.5)))).toEqual([-0.5]);
  });
});

describe('spaces after wrapping', () => {
  it('flatten_space promotes dtypes as numpy result_type', () => {
    for (const [a, b, want] of ref.result_type) expect(resultType([a, b] as never)).toBe(want);
  });

  it('FlattenObservation one-hots a Discrete member of a Tuple', () => {
    const space = new Tuple([new Discrete(3), new Box(0, 1, [2], 'float32')]);
    expect(describeSpace(flatten_space(space))).toMatchObject({ name: 'Box', shape: [5], low: [0, 0, 0, 0, 0], high: [1, 1, 1, 1, 1], dtype: 'float64' });
    expect(Array.from(flatten(space, [2, Float32Array.of(0.5, 0.25)]))).toEqual([0, 0, 1, 0.5, 0.25]);
    const env = new FlattenObservation(make('Blackjack-v1'));
    expect(describeSpace(env.observation_space)).toMatchObject({ name: 'Box', shape: [32 + 11 + 2], dtype: 'int64' });
    const [obs] = env.reset({ seed: 3 });
    expect(Array.from(obs as ArrayLike<number>).reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('TimeAwareObservation on CartPole-v1 is a float64 Box of 5 with time last, up to 500', () => {
    const env = new TimeAwareObservation(make('CartPole-v1'));
    const d = describeSpace(env.observation_space);
    expect(d).toMatchObject({ name: 'Box', shape: [5], dtype: 'float64' });
    expect((d.high as number[])[4]).toBe(500);
    const [first] = env.reset({ seed: 42 });
    expect((first as Float64Array)[4]).toBe(0);
    const [next] = env.step(1);
    expect((next as Float64Array)[4]).toBe(1);
    const normalized = new TimeAwareObservation(make('CartPole-v1'), true, true);
    expect(describeSpace(normalized.observation_space)).toMatchObject({ dtype: 'float32' });
    normalized.reset({ seed: 42 });
    expect((normalized.step(1)[0] as Float32Array)[4]).toBe(Math.fround(0.002));
    const dict = new TimeAwareObservation(make('CartPole-v1'), false);
    expect(describeSpace(dict.observation_space)).toMatchObject({ name: 'Dict' });
  });

  it('FrameStackObservation stacks along a new first axis, padded with the reset observation or zeros', () => {
    const env = new FrameStackObservation(make('CartPole-v1'), 3);
    expect(describeSpace(env.observation_space)).toMatchObject({ name: 'Box', shape: [3, 4], dtype: 'float32' });
    const [obs] = env.reset({ seed: 123 });
    const o = Array.from(obs as Float32Array);
    expect(o.slice(0, 4)).toEqual(o.slice(8, 12));
    const [next] = env.step(0);
    expect(Array.from(next as Float32Array).slice(0, 8)).toEqual(o.slice(4, 12));
    const zero = new FrameStackObservation(make('CartPole-v1'), 3, 'zero');
    const [z] = zero.reset({ seed: 123 });
    expect(Array.from(z as Float32Array).slice(0, 8)).toEqual(new Array(8).fill(0));
    expect(Array.from(z as Float32Array).slice(8)).toEqual(o.slice(8));
    const discrete = new FrameStackObservation(make('FrozenLake-v1'), 2);
    expect(describeSpace(discrete.observation_space)).toMatchObject({ name: 'MultiDiscrete', nvec: [16, 16] });
  });
});

describe('RecordEpisodeStatistics', () => {
  it('puts r, l and t in info.episode when an episode ends', () => {
    const env = new RecordEpisodeStatistics(make('CartPole-v1'));
    env.reset({ seed: 0 });
    let info: Info = {};
    let steps = 0;
    let total = 0;
    for (let done = false; !done; ) {
      const [, r, term, trunc, i] = env.step(0);
      steps += 1;
      total += r;
      done = term || trunc;
      info = i;
    }
    const episode = info.episode as { r: number; l: number; t: number };
    expect(episode.r).toBe(total);
    expect(episode.l).toBe(steps);
    expect(episode.t).toBeGreaterThanOrEqual(0);
    expect(env.return_queue).toEqual([total]);
  });
});

describe('TransformReward', () => {
  it('applies a registered reward function by name to each step', () => {
    const env = applyWrappers(make('CartPole-v1'), checkWrappers([{ name: 'TransformReward', kwargs: { func: 'simple_cartpole' } }]));
    env.reset({ seed: 5 });
    const [obs, reward] = env.step(1);
    const theta = (obs as Float32Array)[2];
    expect(reward).toBeCloseTo(Math.min(1, Math.max(0.1, 1 - Math.abs(theta) / 0.2095)), 12);
    expect(reward).not.toBe(1);
  });
});

describe('the catalogue', () => {
  it('refuses unknown wrappers and bad kwargs with invalid_wrapper', () => {
    expect(() => checkWrappers([{ name: 'Nope' }])).toThrow(expect.objectContaining({ errorName: 'invalid_wrapper' }));
    expect(() => checkWrappers([{ name: 'FrameStackObservation' }])).toThrow(expect.objectContaining({ errorName: 'invalid_wrapper' }));
    expect(() => checkWrappers([{ name: 'NormalizeReward', kwargs: { gamma: 2 } }])).toThrow(expect.objectContaining({ errorName: 'invalid_wrapper' }));
    expect(() => applyWrappers(make('CartPole-v1'), [{ name: 'ClipAction' }])).toThrow(expect.objectContaining({ errorName: 'invalid_wrapper' }));
  });

  it('shares one set of statistics among copies and leaves reward wrappers out of evaluations', () => {
    const specs = checkWrappers([{ name: 'NormalizeObservation' }, { name: 'NormalizeReward' }]);
    const stats = new WrapperStats(specs);
    const a = applyWrappers(make('CartPole-v1'), specs, { stats });
    const b = applyWrappers(make('CartPole-v1'), specs, { stats });
    a.reset({ seed: 1 });
    b.reset({ seed: 2 });
    const saved = stats.toSaved();
    expect(saved[0].obs_rms!.count).toBeCloseTo(2.0001, 10);
    const evalEnv = applyWrappers(make('CartPole-v1'), specs, { stats, evaluation: true });
    evalEnv.reset({ seed: 3 });
    const [, reward] = evalEnv.step(0);
    expect(reward).toBe(1);
    expect(stats.toSaved()[0].obs_rms!.count).toBeCloseTo(2.0001, 10);
  });
});
