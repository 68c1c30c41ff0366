/**
 * Gymnasium's `SyncVectorEnv`: n copies of an environment stepped one after
 * the other in this thread, their results batched.
 *
 * Buffers: with `copy: true` (Gymnasium's default) every call answers fresh
 * arrays the caller may keep. With `copy: false` the observation, reward and
 * flag arrays are this object's own, answered again and overwritten by the
 * next `reset` or `step`: read or send them before calling again, and never
 * write to them. (Gymnasium's `copy=False` leaves only the observations
 * uncopied; here nothing is copied, so a transport that encodes a step at once
 * allocates nothing per step beyond what the copies themselves allocate.)
 */
import { PalestraError } from '../../errors';
import type { Env, Info, StepSlots } from '../core';
import type { Space } from '../spaces/space';
import { Seed, checkSeed } from '../utils/seeding';
import { VectorInfo, add_info } from './infos';
import { BoolArray } from './utils/bool_array';
import { BatchCheck, batch_check } from './utils/batch_check';
import { BatchReader, BatchWriter, batch_reader, batch_space, batch_writer, copy_batch, create_empty_array } from './utils/space_utils';
import { AUTORESET_MODES, AutoresetMode, VectorEnv, VectorResetArgs, VectorStepResult } from './vector_env';

/** What `SyncVectorEnv` takes beside the copies' makers. */
export interface SyncVectorEnvOptions {
  /** When ended copies restart; `NextStep` (Gymnasium's default) unless given. */
  autoreset_mode?: AutoresetMode;
  /** Whether each call answers fresh arrays (true, the default) or this object's own buffers (see the file's comment). */
  copy?: boolean;
}

/** The seed for copy `i` when a vector reset is given one integer: `seed + i`, a bigint past 2^53. */
function offsetSeed(base: number | bigint, i: number): number | bigint {
  if (typeof base === 'number' && base + i <= Number.MAX_SAFE_INTEGER) return base + i;
  return BigInt(base) + BigInt(i);
}

/** Gymnasium's `SyncVectorEnv`: n copies of an environment, stepped in turn, answered as batches. */
export class SyncVectorEnv extends VectorEnv<unknown, unknown> {
  readonly envs: Env<any, any>[];
  readonly num_envs: number;
  readonly autoreset_mode: AutoresetMode;
  readonly copy: boolean;
  readonly single_observation_space: Space<any>;
  readonly single_action_space: Space<any>;
  readonly observation_space: Space<any>;
  readonly action_space: Space<any>;

  private readonly observations: unknown;
  private readonly rewards: Float64Array;
  private readonly terminations: BoolArray;
  private readonly truncations: BoolArray;
  /** Copies whose episode ended on the last step (Gymnasium's `_autoreset_envs`). */
  private readonly autoresetEnvs: BoolArray;
  private readonly writeObs: BatchWriter;
  /** The batch arrays above, as each copy's `stepInto` fills them. */
  private readonly slots: StepSlots;
  private readonly readAction: BatchReader;
  private readonly checkActions: BatchCheck;
  private hasReset = false;

  /** `SyncVectorEnv(env_fns, autoreset_mode=..., copy=...)`: makes one copy per function; every copy must have the first one's spaces. */
  constructor(env_fns: Iterable<() => Env<any, any>>, options: SyncVectorEnvOptions = {}) {
    super();
    const mode = options.autoreset_mode ?? 'NextStep';
    if (!AUTORESET_MODES.includes(mode)) {
      throw new PalestraError('invalid_params', `Unknown autoreset mode ${JSON.stringify(mode)}: expected one of ${AUTORESET_MODES.join(', ')}`);
    }
    this.autoreset_mode = mode;
    this.copy = options.copy ?? true;
    this.envs = [...env_fns].map((fn) => fn());
    this.num_envs = this.envs.length;
    if (this.num_envs < 1) throw new PalestraError('invalid_params', 'A vector environment needs at least one copy');
    const first = this.envs[0];
    this.metadata = { ...first.metadata, autoreset_mode: mode };
    this.render_mode = first.render_mode;
    this.single_observation_space = first.observation_space;
    this.single_action_space = first.action_space;
    this.observation_space = batch_space(this.single_observation_space, this.num_envs);
    this.action_space = batch_space(this.single_action_space, this.num_envs);
    // Gymnasium compares spaces with `==`; their repr holds every parameter a space has here.
    const obsRepr = this.single_observation_space.toString();
    const actRepr = this.single_action_space.toString();
    this.envs.forEach((env, i) => {
      if (env.observation_space.toString() !== obsRepr) {
        throw new PalestraError('env_error', `Copy ${i} has observation space ${env.observation_space.toString()}, copy 0 has ${obsRepr}: every copy must have the same spaces`);
      }
      if (env.action_space.toString() !== actRepr) {
        throw new PalestraError('env_error', `Copy ${i} has action space ${env.action_space.toString()}, copy 0 has ${actRepr}: every copy must have the same spaces`);
      }
    });
    this.observations = create_empty_array(this.single_observation_space, this.num_envs);
    this.rewards = new Float64Array(this.num_envs);
    this.terminations = new BoolArray(this.num_envs);
    this.truncations = new BoolArray(this.num_envs);
    this.autoresetEnvs = new BoolArray(this.num_envs);
    this.writeObs = batch_writer(this.single_observation_space);
    this.slots = { observations: this.observations, rewards: this.rewards, terminations: this.terminations, truncations: this.truncations, writeObs: this.writeObs };
    this.readAction = batch_reader(this.single_action_space, this.envs[0].unwrapped.metadata.float64_actions === true);
    this.checkActions = batch_check(this.single_action_space, this.num_envs);
  }

  /** Each copy's `np_random_seed`. */
  get np_random_seed(): (bigint | null)[] {
    return this.envs.map((env) => env.np_random_seed);
  }

  /** One seed (or null) per copy, all checked before any copy is reset. */
  private seedsFor(seed: VectorResetArgs['seed']): (Seed | null)[] {
    const n = this.num_envs;
    if (seed === undefined || seed === null) return new Array<null>(n).fill(null);
    if (Array.isArray(seed)) {
      if (seed.length !== n) {
        throw new PalestraError('invalid_seed', `A list of seeds must hold one per copy: got ${seed.length} for num_envs=${n}`, { num_envs: n });
      }
      return seed.map((s: Seed | null | undefined) => (s === undefined || s === null ? null : checkSeed(s)));
    }
    const base = checkSeed(seed);
    return Array.from({ length: n }, (_, i) => offsetSeed(base, i));
  }

  /** The `reset_mask` option as one flag per copy, or a catalogue error saying what is wrong with it. */
  private maskOf(mask: unknown): Uint8Array {
    const n = this.num_envs;
    const isBytes = mask instanceof Uint8Array;
    if (!isBytes && !Array.isArray(mask)) {
      throw new PalestraError('invalid_params', `options.reset_mask must be an array of ${n} booleans, got ${typeof mask}`, { num_envs: n });
    }
    const flags = mask as ArrayLike<unknown>;
    if (flags.length !== n) {
      throw new PalestraError('invalid_params', `options.reset_mask must hold one boolean per copy (${n}), got ${flags.length}`, { num_envs: n });
    }
    const out = new Uint8Array(n);
    let any = false;
    for (let i = 0; i < n; i++) {
      const v = flags[i];
      if (isBytes ? v !== 0 && v !== 1 : typeof v !== 'boolean') {
        throw new PalestraError('invalid_params', `options.reset_mask[${i}] is ${JSON.stringify(v)}, expected a boolean`, { copy: i });
      }
      out[i] = v ? 1 : 0;
      any ||= Boolean(v);
    }
    if (!any) throw new PalestraError('invalid_params', 'options.reset_mask must mark at least one copy to reset', { num_envs: n });
    return out;
  }

  /**
   * Resets every copy (copy i with `seed + i`, or the i-th of a list of seeds) and
   * answers the batched observations and vector info; with `options.reset_mask`,
   * only the marked copies, the others keeping their observation.
   */
  reset({ seed, options }: VectorResetArgs = {}): [unknown, VectorInfo] {
    const seeds = this.seedsFor(seed);
    let copyOptions: Record<string, unknown> | null = options ?? null;
    let mask: Uint8Array | null = null;
    if (options && Object.prototype.hasOwnProperty.call(options, 'reset_mask')) {
      const { reset_mask, ...rest } = options;
      mask = this.maskOf(reset_mask);
      copyOptions = rest;
    }
    let infos: VectorInfo = {};
    for (let i = 0; i < this.num_envs; i++) {
      if (mask !== null && !mask[i]) continue;
      this.terminations[i] = 0;
      this.truncations[i] = 0;
      this.autoresetEnvs[i] = 0;
      const [obs, info] = this.envs[i].reset({ seed: seeds[i], options: copyOptions });
      this.writeObs(this.observations, i, obs);
      infos = add_info(infos, info, i, this.num_envs);
    }
    // A masked reset alone does not start every copy, so only a full one allows stepping.
    if (mask === null) this.hasReset = true;
    return [this.copy ? copy_batch(this.single_observation_space, this.observations) : this.observations, infos];
  }

  /**
   * Steps every copy with its action (a batch of the action space: one value per
   * copy) and answers `[obs, rewards, terminations, truncations, infos]`. The batch
   * is checked whole first: a bad one throws `invalid_action` naming the copy and
   * changes no copy.
   */
  step(actions: unknown): VectorStepResult<unknown> {
    if (!this.hasReset) throw new PalestraError('reset_needed', 'Cannot call step before reset: call reset first');
    const batch = this.checkActions(actions);
    const n = this.num_envs;
    const mode = this.autoreset_mode;
    const { envs, observations, rewards, terminations, truncations, autoresetEnvs, writeObs, readAction } = this;
    if (mode === 'Disabled') {
      const ended = [];
      for (let i = 0; i < n; i++) if (autoresetEnvs[i]) ended.push(i);
      if (ended.length > 0) {
        throw new PalestraError(
          'reset_needed',
          `Copies ${ended.join(', ')} ended and autoreset is Disabled: reset them with reset({ options: { reset_mask } }) before stepping`,
          { copies: ended },
        );
      }
    }
    let infos: VectorInfo = {};
    for (let i = 0; i < n; i++) {
      const env = envs[i];
      let info: Info;
      if (mode === 'NextStep' && autoresetEnvs[i]) {
        const [obs, resetInfo] = env.reset();
        writeObs(observations, i, obs);
        info = resetInfo;
        rewards[i] = 0;
        terminations[i] = 0;
        truncations[i] = 0;
      } else if (mode === 'SameStep') {
        const result = env.step(readAction(batch, i));
        let obs = result[0];
        rewards[i] = result[1];
        terminations[i] = result[2] ? 1 : 0;
        truncations[i] = result[3] ? 1 : 0;
        info = result[4];
        if (result[2] || result[3]) {
          infos = add_info(infos, { final_obs: obs, final_info: info }, i, n);
          [obs, info] = env.reset();
        }
        writeObs(observations, i, obs);
      } else {
        // The copy writes its observation, reward and flags into slot i itself.
        info = env.stepInto(readAction(batch, i), this.slots, i);
      }
      infos = add_info(infos, info, i, n);
    }
    for (let i = 0; i < n; i++) autoresetEnvs[i] = terminations[i] | truncations[i];
    if (!this.copy) return [observations, rewards, terminations, truncations, infos];
    return [copy_batch(this.single_observation_space, observations), rewards.slice(), terminations.slice(), truncations.slice(), infos];
  }

  /** Each copy's rendering. */
  render(): unknown[] {
    return this.envs.map((env) => env.render());
  }

  protected override close_extras(): void {
    for (const env of this.envs) env.close();
  }
}
