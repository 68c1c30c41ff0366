/**
 * The replay buffer of the off-policy learners (DQN, SAC, TD3): a ring of
 * transitions in flat Float32Arrays, the oldest overwritten once full, and
 * uniform minibatches copied into arrays allocated once, ready to become
 * tensors. An action is a row of `actionSize` floats (a Discrete index is
 * stored as one float).
 *
 * Only termination ends bootstrapping, so a transition keeps `terminated`
 * alone; a time-limit truncation stores its final observation as `next`.
 */
import type { Rng } from './random';

/** A sampled minibatch: row j of each array is transition j. */
export interface ReplayBatch {
  readonly size: number;
  readonly obs: Float32Array;
  readonly actions: Float32Array;
  readonly rewards: Float32Array;
  readonly next: Float32Array;
  /** 1 − terminated: the factor on the bootstrapped value. */
  readonly notDone: Float32Array;
}

export class ReplayBuffer {
  readonly obs: Float32Array;
  readonly actions: Float32Array;
  readonly rewards: Float32Array;
  readonly next: Float32Array;
  readonly terminated: Uint8Array;
  /** Transitions held (at most `capacity`). */
  size = 0;
  /** Where the next transition goes. */
  private pos = 0;
  private readonly batch: ReplayBatch;

  constructor(
    readonly capacity: number,
    readonly obsSize: number,
    readonly actionSize: number,
    readonly batchSize: number,
  ) {
    this.obs = new Float32Array(capacity * obsSize);
    this.next = new Float32Array(capacity * obsSize);
    this.actions = new Float32Array(capacity * actionSize);
    this.rewards = new Float32Array(capacity);
    this.terminated = new Uint8Array(capacity);
    this.batch = {
      size: batchSize,
      obs: new Float32Array(batchSize * obsSize),
      actions: new Float32Array(batchSize * actionSize),
      rewards: new Float32Array(batchSize),
      next: new Float32Array(batchSize * obsSize),
      notDone: new Float32Array(batchSize),
    };
  }

  /** Stores one transition (`action` a Discrete index or a vector of `actionSize`). */
  add(obs: ArrayLike<number>, action: number | ArrayLike<number>, reward: number, next: ArrayLike<number>, terminated: boolean | number): void {
    const k = this.pos;
    const o = this.obsSize;
    const a = this.actionSize;
    this.obs.set(obs, k * o);
    this.next.set(next, k * o);
    if (typeof action === 'number') this.actions[k * a] = action;
    else this.actions.set(action, k * a);
    this.rewards[k] = reward;
    this.terminated[k] = terminated ? 1 : 0;
    this.pos = (k + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** `batchSize` transitions drawn uniformly with replacement; the arrays are reused by the next call. */
  sample(rng: Rng): ReplayBatch {
    const b = this.batch;
    const o = this.obsSize;
    const a = this.actionSize;
    for (let j = 0; j < b.size; j++) {
      const k = rng.int(this.size);
      b.obs.set(this.obs.subarray(k * o, (k + 1) * o), j * o);
      b.next.set(this.next.subarray(k * o, (k + 1) * o), j * o);
      b.actions.set(this.actions.subarray(k * a, (k + 1) * a), j * a);
      b.rewards[j] = this.rewards[k];
      b.notDone[j] = 1 - this.terminated[k];
    }
    return b;
  }
}
