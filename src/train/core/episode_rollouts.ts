/**
 * Whole episodes for learners that need complete returns (REINFORCE, GRPO):
 * `n` copies of the environment, each playing exactly one episode per
 * `collect`, acting together while they run and waiting once done, so every
 * episode is played by the same policy from start to end (none cut at a batch
 * boundary, none favoured for ending early). Copies may be reset with chosen
 * seeds first: GRPO gives a whole group the same one, so its episodes share
 * their start state.
 *
 * Each copy is its own one-copy `EncodedVectorEnv`, so a copy that ended is not
 * stepped while the others finish; observations are encoded and returns
 * recorded there, as for every trainer.
 */
import type { Env } from '../../envs/core';
import { categoricalLogProb, categoricalSample, gaussianLogProb, gaussianSample } from './distributions';
import { EncodedVectorEnv, EpisodeRecord } from './encoded_vector_env';
import type { Policy } from './policy';
import type { Rng } from './random';

/** One episode as the learner saw it. */
export interface Trajectory {
  /** Encoded observations, [length, obsSize]. */
  obs: Float32Array;
  /** Actions as the loss takes them, [length, width]: one-hot for Discrete, the vector for Box. */
  actions: Float32Array;
  /** log π(a|s) of each action under the policy that chose it. */
  logp: Float32Array;
  /** The rewards the learner saw (shaped, when a reward function is set). */
  rewards: Float32Array;
  length: number;
  /** True when the environment ended the episode, false when a time limit cut it. */
  terminated: boolean;
}

/** What one `collect` answers. */
export interface Collected {
  /** One per copy, in copy order; empty when the collection was cut short. */
  trajectories: Trajectory[];
  /** Environment steps taken, complete episodes or not. */
  steps: number;
}

export class EpisodeRollouts {
  private readonly copies: EncodedVectorEnv[];
  private readonly obsSize: number;
  private readonly width: number;

  constructor(
    makeEnv: () => Env<unknown, unknown>,
    readonly n: number,
    private readonly policy: Policy,
  ) {
    this.copies = Array.from({ length: n }, () => new EncodedVectorEnv(makeEnv, 1, policy.encoder, policy.actions));
    this.obsSize = policy.encoder.size;
    this.width = policy.actions.type === 'discrete' ? policy.actions.n : policy.actions.size;
  }

  /** Resets copy i with `seeds[i]`. */
  reset(seeds: readonly number[]): void {
    this.copies.forEach((c, i) => c.reset(seeds[i]));
  }

  /**
   * Plays one episode on every copy from where it stands (its last reset, or
   * the automatic reset after its previous episode), sampling actions with
   * `rng`. Stops early, with no trajectories, when `stepBudget` steps are
   * spent or `stopping()` turns true.
   */
  collect(rng: Rng, stepBudget: number, stopping: () => boolean): Collected {
    const { obsSize, width, policy } = this;
    const actor = policy.actor!;
    const logStd = policy.logStd === null ? null : policy.set.view(policy.logStd);
    const obs: number[][] = this.copies.map(() => []);
    const acts: number[][] = this.copies.map(() => []);
    const logps: number[][] = this.copies.map(() => []);
    const rewards: number[][] = this.copies.map(() => []);
    const terminated = new Array<boolean>(this.n).fill(false);
    let active = this.copies.map((_, i) => i);
    const batch = new Float32Array(this.n * obsSize);
    let steps = 0;
    while (active.length > 0) {
      if (stopping()) return { trajectories: [], steps };
      active.forEach((c, r) => batch.set(this.copies[c].obs, r * obsSize));
      const head = actor.forward(batch.subarray(0, active.length * obsSize), active.length);
      const still: number[] = [];
      for (let r = 0; r < active.length; r++) {
        // The budget is read before every step, so a run ends on exactly its step count.
        if (steps >= stepBudget) return { trajectories: [], steps };
        const c = active[r];
        const env = this.copies[c];
        for (let j = 0; j < obsSize; j++) obs[c].push(env.obs[j]);
        let action: number | Float32Array;
        if (logStd) {
          const a = gaussianSample(head, r * width, logStd, rng);
          logps[c].push(gaussianLogProb(head, r * width, logStd, a));
          for (let j = 0; j < width; j++) acts[c].push(a[j]);
          action = a;
        } else {
          const a = categoricalSample(head, r * width, width, rng);
          logps[c].push(categoricalLogProb(head, r * width, width, a));
          for (let j = 0; j < width; j++) acts[c].push(j === a ? 1 : 0);
          action = a;
        }
        env.step([action]);
        steps += 1;
        rewards[c].push(env.rewards[0]);
        if (env.terminated[0] || env.truncated[0]) terminated[c] = env.terminated[0] === 1;
        else still.push(c);
      }
      active = still;
    }
    const trajectories = this.copies.map((_, c) => ({
      obs: Float32Array.from(obs[c]),
      actions: Float32Array.from(acts[c]),
      logp: Float32Array.from(logps[c]),
      rewards: Float32Array.from(rewards[c]),
      length: rewards[c].length,
      terminated: terminated[c],
    }));
    return { trajectories, steps };
  }

  /** Episodes every copy finished since the last call. */
  drainEpisodes(): EpisodeRecord[] {
    return this.copies.flatMap((c) => c.drainEpisodes());
  }

  close(): void {
    for (const c of this.copies) c.close();
  }
}
