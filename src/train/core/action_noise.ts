/**
 * Exploration noise for deterministic actors (TD3). Independent Gaussian
 * draws suit most tasks; an Ornstein–Uhlenbeck process (Uhlenbeck &
 * Ornstein, 1930; used for exploration by DDPG, Lillicrap et al., 2016)
 * drifts slowly, so it pushes the same way for many steps: what a task with
 * a distant sparse reward (MountainCarContinuous) needs to be found at all.
 */
import type { Rng } from './random';

/** The noise kinds TD3's `action_noise` names. */
export type ActionNoiseKind = 'normal' | 'ornstein_uhlenbeck';

/** A source of exploration noise, one value per action dimension, in units of half the Box's width. */
export interface ActionNoise {
  /** The next draw (a view valid until the next call). */
  sample(rng: Rng): Float32Array;
  /** Starts afresh: called when an episode ends. */
  reset(): void;
}

/** Independent N(0, σ²) draws each step. */
export class NormalNoise implements ActionNoise {
  private readonly out: Float32Array;

  constructor(
    size: number,
    private readonly sigma: number,
  ) {
    this.out = new Float32Array(size);
  }

  sample(rng: Rng): Float32Array {
    for (let j = 0; j < this.out.length; j++) this.out[j] = this.sigma * rng.normal();
    return this.out;
  }

  reset(): void {}
}

/**
 * x ← x + θ(μ − x)·dt + σ√dt·N(0, 1), from x = μ = 0 at each reset; with
 * θ = 0.15 and dt = 0.01 (the constants of DDPG's paper and SB3's default)
 * consecutive draws are nearly equal and the process wanders to about
 * σ/√(2θ) ≈ 1.8σ after a few thousand steps.
 */
export class OrnsteinUhlenbeckNoise implements ActionNoise {
  private readonly x: Float32Array;

  constructor(
    size: number,
    private readonly sigma: number,
    private readonly theta = 0.15,
    private readonly dt = 0.01,
  ) {
    this.x = new Float32Array(size);
  }

  sample(rng: Rng): Float32Array {
    const { x, sigma, theta, dt } = this;
    const scale = sigma * Math.sqrt(dt);
    for (let j = 0; j < x.length; j++) x[j] += -theta * x[j] * dt + scale * rng.normal();
    return x;
  }

  reset(): void {
    this.x.fill(0);
  }
}

/** The noise `kind` names, with standard deviation (σ) `sigma`, for `size` action dimensions. */
export function actionNoise(kind: ActionNoiseKind, size: number, sigma: number): ActionNoise {
  return kind === 'ornstein_uhlenbeck' ? new OrnsteinUhlenbeckNoise(size, sigma) : new NormalNoise(size, sigma);
}
