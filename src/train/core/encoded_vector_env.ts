/**
 * The vector environment as trainers see it: Gymnasium's SyncVectorEnv in
 * `SameStep` autoreset mode (an ended copy restarts within the step, its last
 * observation kept in `final_obs` so truncated episodes can be bootstrapped),
 * with the policy's actions turned into the batch the environment takes and
 * the observations encoded into one float matrix. Episode returns and lengths
 * are recorded here, as Gymnasium's RecordEpisodeStatistics would.
 */
import type { Env } from '../../envs/core';
import { SyncVectorEnv } from '../../envs/vector/sync_vector_env';
import { BatchReader, batch_reader } from '../../envs/vector/utils/space_utils';
import { ENV_REWARD_INFO_KEY } from './rewards';
import { ActionSpec, ObsEncoder } from './spaces';

const ENV_REWARD_MASK = `_${ENV_REWARD_INFO_KEY}`;

/** Copy i's own reward from a batched info, when a reward function shaped what the learner saw. */
function ownReward(info: Record<string, unknown> | undefined, i: number): number | undefined {
  const mask = info?.[ENV_REWARD_MASK] as ArrayLike<number | boolean> | undefined;
  return mask?.[i] ? (info![ENV_REWARD_INFO_KEY] as ArrayLike<number>)[i] : undefined;
}

/** A finished episode. */
export interface EpisodeRecord {
  return: number;
  length: number;
}

export class EncodedVectorEnv {
  readonly num: number;
  readonly envs: SyncVectorEnv;
  /** Current observations, encoded: [num, encoder.size]. */
  readonly obs: Float32Array;
  /** Current raw observations, one per copy (for table indices). */
  readonly rawObs: unknown[];
  rewards: Float64Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  /** For copies that finished on the last step: their final observation, encoded (else null). */
  readonly finalObs: (Float32Array | null)[];
  /** The raw final observation of copies that finished on the last step (else null). */
  readonly finalRawObs: unknown[];
  /** Episodes that finished since the last `drainEpisodes()`. */
  private episodes: EpisodeRecord[] = [];
  private readonly returns: Float64Array;
  private readonly lengths: Int32Array;
  private readonly readObs: BatchReader;
  /** The batch of actions handed to the environment, refilled each step. */
  private readonly actionBatch: Float64Array | Float32Array;

  /** `num` copies from `makeEnv`, stepped as one SyncVectorEnv. */
  constructor(
    makeEnv: () => Env<unknown, unknown>,
    num: number,
    readonly encoder: ObsEncoder,
    readonly actions: ActionSpec,
  ) {
    // copy: false: everything read from a step is copied or encoded here before the next one.
    this.envs = new SyncVectorEnv(Array.from({ length: num }, () => makeEnv), { autoreset_mode: 'SameStep', copy: false });
    this.num = num;
    this.obs = new Float32Array(num * encoder.size);
    this.rawObs = new Array(num).fill(null);
    this.rewards = new Float64Array(num);
    this.terminated = new Uint8Array(num);
    this.truncated = new Uint8Array(num);
    this.finalObs = new Array(num).fill(null);
    this.finalRawObs = new Array(num).fill(null);
    this.returns = new Float64Array(num);
    this.lengths = new Int32Array(num);
    this.readObs = batch_reader(this.envs.single_observation_space);
    this.actionBatch = actions.type === 'discrete' ? new Float64Array(num) : new Float32Array(num * actions.size);
  }

  /** Resets every copy; copy i gets seed `seed + i`, as Gymnasium's vector envs do. */
  reset(seed: number): Float32Array {
    const [obs] = this.envs.reset({ seed });
    this.setObs(obs);
    this.returns.fill(0);
    this.lengths.fill(0);
    return this.obs;
  }

  private setObs(batch: unknown): void {
    const size = this.encoder.size;
    for (let i = 0; i < this.num; i++) {
      // Copied out: with copy: false a view into the batch would change under the caller on the next step.
      const obs = copyValue(this.readObs(batch, i));
      this.rawObs[i] = obs;
      this.encoder.encode(obs, this.obs, i * size);
    }
  }

  /** Steps every copy with its action (an index for Discrete, a vector for Box, clipped to the Box). */
  step(actions: ArrayLike<number | Float32Array>): void {
    const spec = this.actions;
    const batch = this.actionBatch;
    if (spec.type === 'discrete') {
      for (let i = 0; i < this.num; i++) batch[i] = spec.start + (actions[i] as number);
    } else {
      for (let i = 0; i < this.num; i++) {
        const a = actions[i] as Float32Array;
        for (let k = 0; k < spec.size; k++) batch[i * spec.size + k] = Math.min(Math.max(a[k], spec.low[k]), spec.high[k]);
      }
    }
    const [obs, rewards, terminations, truncations, infos] = this.envs.step(batch);
    this.rewards = rewards;
    this.terminated = terminations;
    this.truncated = truncations;
    const final = infos.final_obs as unknown[] | undefined;
    // Episode returns are the environment's own, even when the learner sees shaped rewards: a copy
    // that ended has its step's info under final_info (SameStep), the others at the top.
    const finalInfo = infos.final_info as Record<string, unknown> | undefined;
    for (let i = 0; i < this.num; i++) {
      const ended = terminations[i] || truncations[i];
      this.returns[i] += ownReward(ended ? finalInfo : infos, i) ?? rewards[i];
      this.lengths[i] += 1;
      if (terminations[i] || truncations[i]) {
        const encoded = new Float32Array(this.encoder.size);
        this.encoder.encode(final![i], encoded, 0);
        this.finalObs[i] = encoded;
        this.finalRawObs[i] = final![i];
        this.episodes.push({ return: this.returns[i], length: this.lengths[i] });
        this.returns[i] = 0;
        this.lengths[i] = 0;
      } else {
        this.finalObs[i] = null;
        this.finalRawObs[i] = null;
      }
    }
    this.setObs(obs);
  }

  /** Episodes finished since the last call. */
  drainEpisodes(): EpisodeRecord[] {
    const out = this.episodes;
    this.episodes = [];
    return out;
  }

  close(): void {
    this.envs.close();
  }
}

/** A copy's observation detached from the batch it was read from (typed arrays copied, members too). */
function copyValue(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return (value as Float32Array).slice();
  if (Array.isArray(value)) return value.map(copyValue);
  return value;
}
