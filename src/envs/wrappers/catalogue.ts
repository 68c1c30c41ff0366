/**
 * Gymnasium's common wrappers by name, as `make` and `train` take them:
 * `wrappers: [{name, kwargs}]`, applied in order (the first innermost), their
 * kwargs checked against `protocol/defs.json#/definitions/wrapper`.
 *
 * A training job's copies of its environment share one set of statistics per
 * normalising wrapper (as a vector environment's normaliser would), and the
 * statistics are saved with the policy. For evaluation the chain is rebuilt
 * with the statistics frozen and the reward wrappers left out, so returns are
 * the environment's own.
 */
import Ajv2020 from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Wrapper as WrapperSpec } from '../../generated/protocol';
import { PalestraError } from '../../errors';
import { rewardFunction } from '../../train/core/rewards';
import type { Env } from '../core';
import { Box } from '../spaces/box';
import { ClipAction } from './clip_action';
import { FlattenObservation } from './flatten_observation';
import { FrameStackObservation } from './frame_stack_observation';
import { NormalizeObservation } from './normalize_observation';
import { NormalizeReward } from './normalize_reward';
import { RecordEpisodeStatistics } from './record_episode_statistics';
import { RescaleAction } from './rescale_action';
import { RunningMeanStd, RunningMeanStdState } from './running_mean_std';
import { TimeAwareObservation } from './time_aware_observation';
import { TransformReward } from './transform_reward';

export type { WrapperSpec };
export type WrapperName = WrapperSpec['name'];

/** A wrapper as saved with a policy: its spec and, for the normalising ones, their statistics. */
export interface SavedWrapper extends WrapperSpec {
  obs_rms?: RunningMeanStdState;
  return_rms?: RunningMeanStdState;
}

/** The wrappers that change rewards: left out when a policy is evaluated. */
const REWARD_WRAPPERS: ReadonlySet<WrapperName> = new Set(['NormalizeReward', 'TransformReward']);

const DEFS = join(__dirname, '..', '..', '..', 'protocol', 'defs.json');
let validate: ReturnType<Ajv2020['compile']> | null = null;
let names: WrapperName[] = [];

function validator(): ReturnType<Ajv2020['compile']> {
  if (!validate) {
    const defs = JSON.parse(readFileSync(DEFS, 'utf8')) as { definitions: { wrapper: { properties: { name: { enum: WrapperName[] } } } } };
    names = defs.definitions.wrapper.properties.name.enum;
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    ajv.addSchema(defs);
    validate = ajv.compile({ $ref: 'defs.json#/definitions/wrappers' });
  }
  return validate;
}

/** The wrappers `make` and `train` know, by name. */
export function wrapperNames(): WrapperName[] {
  validator();
  return [...names];
}

/** Checks a list of wrapper specs against the protocol; invalid_wrapper, listing every problem, otherwise. */
export function checkWrappers(specs: unknown): WrapperSpec[] {
  const v = validator();
  if (!v(specs)) {
    const problems = (v.errors ?? [])
      .filter((e) => e.keyword !== 'if')
      .map((e) => `wrappers${e.instancePath} ${e.message}${e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : ''}`);
    throw new PalestraError('invalid_wrapper', `Invalid wrappers: ${problems.join('; ')}. Available: ${wrapperNames().join(', ')}`, { errors: problems, available: wrapperNames() });
  }
  return specs as WrapperSpec[];
}

/**
 * The statistics a training job's copies share, one slot per wrapper; made
 * by the first copy, or restored from a saved policy's wrappers.
 */
export class WrapperStats {
  private readonly rms: (RunningMeanStd | null)[];

  constructor(
    readonly specs: readonly WrapperSpec[],
    private readonly saved: readonly SavedWrapper[] | null = null,
  ) {
    this.rms = specs.map(() => null);
  }

  /** The shared statistics of wrapper `i`, made (or restored) at the first call. */
  slot(i: number, make: () => RunningMeanStd): RunningMeanStd {
    let rms = this.rms[i];
    if (!rms) {
      rms = make();
      const s = this.saved?.[i];
      const state = s?.obs_rms ?? s?.return_rms;
      if (state) rms.restore(state);
      this.rms[i] = rms;
    }
    return rms;
  }

  /** The wrappers with their statistics, as saved with a policy. */
  toSaved(): SavedWrapper[] {
    return this.specs.map((spec, i) => {
      const rms = this.rms[i] ?? null;
      const saved = this.saved?.[i];
      const state = rms?.state() ?? saved?.obs_rms ?? saved?.return_rms;
      const out: SavedWrapper = { name: spec.name, kwargs: spec.kwargs ?? {} };
      if (state && spec.name === 'NormalizeObservation') out.obs_rms = state;
      if (state && spec.name === 'NormalizeReward') out.return_rms = state;
      return out;
    });
  }
}

/** How a chain is built: for `make` (each wrapper fresh), a learner (shared statistics), or an evaluation (frozen statistics, no reward wrappers). */
export interface ApplyOptions {
  stats?: WrapperStats;
  evaluation?: boolean;
}

/** Wraps `env` in `specs`, the first innermost; invalid_wrapper when one cannot wrap what it is given. */
export function applyWrappers(env: Env<any, any>, specs: readonly WrapperSpec[], opts: ApplyOptions = {}): Env<any, any> {
  let out = env;
  specs.forEach((spec, i) => {
    if (opts.evaluation && REWARD_WRAPPERS.has(spec.name)) return;
    out = wrapOne(out, spec, i, opts);
  });
  return out;
}

function wrapOne(env: Env<any, any>, spec: WrapperSpec, i: number, opts: ApplyOptions): Env<any, any> {
  const kw = (spec.kwargs ?? {}) as Record<string, any>;
  switch (spec.name) {
    case 'NormalizeObservation': {
      const shape = env.observation_space instanceof Box ? env.observation_space.size : 0;
      const rms = opts.stats?.slot(i, () => new RunningMeanStd(shape, 'float32'));
      const w = new NormalizeObservation(env, kw.epsilon ?? 1e-8, rms);
      if (opts.evaluation) w.update_running_mean = false;
      return w;
    }
    case 'NormalizeReward': {
      const rms = opts.stats?.slot(i, () => new RunningMeanStd(1, 'float64'));
      return new NormalizeReward(env, kw.gamma ?? 0.99, kw.epsilon ?? 1e-8, rms);
    }
    case 'ClipAction':
      return new ClipAction(env);
    case 'RescaleAction':
      return new RescaleAction(env, kw.min_action, kw.max_action);
    case 'FlattenObservation':
      return new FlattenObservation(env);
    case 'FrameStackObservation':
      return new FrameStackObservation(env, kw.stack_size, kw.padding_type ?? 'reset');
    case 'TimeAwareObservation':
      return new TimeAwareObservation(env, kw.flatten ?? true, kw.normalize_time ?? false, kw.dict_time_key ?? 'time');
    case 'TransformReward': {
      let fn;
      try {
        fn = rewardFunction(kw.func);
      } catch (err) {
        throw new PalestraError('invalid_wrapper', `TransformReward: ${(err as Error).message}`, (err as PalestraError).data);
      }
      return new TransformReward(env, fn);
    }
    case 'RecordEpisodeStatistics':
      return new RecordEpisodeStatistics(env, kw.buffer_length ?? 100, kw.stats_key ?? 'episode');
    default:
      throw new PalestraError('invalid_wrapper', `No wrapper ${JSON.stringify((spec as { name: unknown }).name)}`, { available: wrapperNames() });
  }
}

/**
 * What `predict` applies to an observation of a saved policy: the statistics
 * of a NormalizeObservation that comes last among the wrappers that change
 * observations (null when there is none).
 */
export function trailingObservationNormalizer(saved: readonly SavedWrapper[] | undefined | null): { rms: RunningMeanStdState; epsilon: number } | null {
  if (!saved) return null;
  for (let i = saved.length - 1; i >= 0; i--) {
    const w = saved[i];
    if (w.name === 'NormalizeObservation') return w.obs_rms ? { rms: w.obs_rms, epsilon: ((w.kwargs ?? {}) as { epsilon?: number }).epsilon ?? 1e-8 } : null;
    if (OBSERVATION_WRAPPERS.has(w.name)) return null;
  }
  return null;
}

/** The wrappers that change observations. */
export const OBSERVATION_WRAPPERS: ReadonlySet<WrapperName> = new Set(['NormalizeObservation', 'FlattenObservation', 'FrameStackObservation', 'TimeAwareObservation']);
