/**
 * Gymnasium's SyncVectorEnv, reduced to what trainers need: n copies of one
 * environment stepped together, observations encoded into one float matrix,
 * and same-step autoreset (a finished copy is reset at once; its last
 * observation is kept so truncated episodes can be bootstrapped).
 */
import type { Env } from '../../envs/core';
import { ENV_REWARD_INFO_KEY } from './rewards';
import { ActionSpec, ObsEncoder, envAction } from './spaces';

/** A finished episode. */
export interface EpisodeRecord {
  return: number;
  length: number;
}

export class VectorEnv {
  readonly num: number;
  /** Current observations, encoded: [num, encoder.size]. */
  readonly obs: Float32Array;
  /** Current raw observations (for table indices). */
  readonly rawObs: unknown[];
  readonly rewards: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  /** For copies that finished on the last step: their final observation, encoded (else null). */
  readonly finalObs: (Float32Array | null)[];
  /** The raw final observation of copies that finished on the last step. */
  readonly finalRawObs: unknown[];
  /** Episodes that finished since the last `drainEpisodes()`. */
  private episodes: EpisodeRecord[] = [];
  private readonly returns: Float64Array;
  private readonly lengths: Int32Array;

  constructor(
    readonly envs: Env<unknown, unknown>[],
    readonly encoder: ObsEncoder,
    readonly actions: ActionSpec,
  ) {
    this.num = envs.length;
    this.obs = new Float32Array(this.num * encoder.size);
    this.rawObs = new Array(this.num).fill(null);
    this.rewards = new Float64Array(this.num);
    this.terminated = new Uint8Array(this.num);
    this.truncated = new Uint8Array(this.num);
    this.finalObs = new Array(this.num).fill(null);
    this.finalRawObs = new Array(this.num).fill(null);
    this.returns = new Float64Array(this.num);
    this.lengths = new Int32Array(this.num);
  }

  /** Resets every copy; copy i gets seed `seed + i`, as Gymnasium's vector envs do. */
  reset(seed: number): Float32Array {
    this.envs.forEach((env, i) => {
      const [obs] = env.reset({ seed: seed + i });
      this.setObs(i, obs);
      this.returns[i] = 0;
      this.lengths[i] = 0;
    });
    return this.obs;
  }

  private setObs(i: number, obs: unknown): void {
    this.rawObs[i] = obs;
    this.encoder.encode(obs, this.obs, i * this.encoder.size);
  }

  /** Steps every copy with its action (an index for Discrete, a vector for Box). */
  step(actions: ArrayLike<number | Float32Array>): void {
    const size = this.encoder.size;
    for (let i = 0; i < this.num; i++) {
      const env = this.envs[i];
      const [obs, reward, terminated, truncated, info] = env.step(envAction(this.actions, actions[i] as number | Float32Array));
      this.rewards[i] = reward;
      this.terminated[i] = terminated ? 1 : 0;
      this.truncated[i] = truncated ? 1 : 0;
      // Episode returns are the environment's own, even when the learner sees shaped rewards.
      const own = info?.[ENV_REWARD_INFO_KEY];
      this.returns[i] += typeof own === 'number' ? own : reward;
      this.lengths[i] += 1;
      if (terminated || truncated) {
        const final = new Float32Array(size);
        this.encoder.encode(obs, final, 0);
        this.finalObs[i] = final;
        this.finalRawObs[i] = obs;
        this.episodes.push({ return: this.returns[i], length: this.lengths[i] });
        this.returns[i] = 0;
        this.lengths[i] = 0;
        this.setObs(i, env.reset()[0]);
      } else {
        this.finalObs[i] = null;
        this.finalRawObs[i] = null;
        this.setObs(i, obs);
      }
    }
  }

  /** Episodes finished since the last call. */
  drainEpisodes(): EpisodeRecord[] {
    const out = this.episodes;
    this.episodes = [];
    return out;
  }

  close(): void {
    for (const env of this.envs) env.close();
  }
}
