/**
 * What every algorithm shares: the context it trains in, and the monitor it
 * reports to after each iteration. The monitor keeps the statistics (mean of
 * the last 100 returns, the training curve), runs the periodic deterministic
 * evaluation, decides early stopping, hands progress reports on, and relays
 * `stop`. An algorithm file is then only the learning loop.
 */
import type { Env } from '../../envs/core';
import type { SpaceDescription } from '../../envs/spaces/space';
import type { Tf } from './backend';
import type { EvaluationPoint } from '../../generated/protocol';
import { evaluatePolicy, summarise } from './evaluation';
import type { AlgorithmName, HyperparameterProperty, ResolvedHyperparameters } from './hyperparameters';
import type { Adam } from './nn';
import type { Policy, PolicySpec } from './policy';
import { Rng } from './random';
import type { EpisodeRecord } from './encoded_vector_env';

/** Why a training run ended. */
export type StopReason = 'total_timesteps' | 'reward_threshold' | 'stopped';

/** A periodic evaluation, as reported in progress frames and saved with the model (`confirmation` marks the 100-episode run that confirms the reward threshold). */
export type { EvaluationPoint };

/** One point of the training curve. */
export interface CurvePoint {
  timesteps: number;
  episodes: number;
  mean_return_100: number | null;
  elapsed_s: number;
}

/** What a progress frame carries (without job id and sequence number). */
export type TrainProgress = {
  timesteps: number;
  total_timesteps: number;
  episodes: number;
  last_return: number | null;
  mean_return_100: number | null;
  last_length: number | null;
  mean_length_100: number | null;
  losses: Record<string, number>;
  entropy: number | null;
  epsilon: number | null;
  steps_per_second: number;
  elapsed_s: number;
  remaining_s: number | null;
  evaluation: EvaluationPoint | null;
};

/** What a finished (or stopped) training run hands back. */
export interface TrainOutcome {
  policy: Policy;
  stop_reason: StopReason;
  progress: TrainProgress;
  curve: CurvePoint[];
  evaluations: EvaluationPoint[];
}

/** A run as it stands mid-training: what a checkpoint saves. */
export type TrainSnapshot = Omit<TrainOutcome, 'stop_reason'>;

/** Everything an algorithm needs to train; `hp` is typed from the algorithm's schema. */
export interface TrainContext<H = ResolvedHyperparameters> {
  env_id: string;
  /** A fresh environment (Gymnasium's `make`, with the job's kwargs). */
  makeEnv(): Env<unknown, unknown>;
  observation_space: SpaceDescription;
  action_space: SpaceDescription;
  hp: H;
  total_timesteps: number;
  seed: number;
  rng: Rng;
  tf: Tf;
  monitor: Monitor;
  /**
   * Continues from a saved policy when the job was given `init_model`: loads its
   * weights into `policy` (call after initialising it); does nothing otherwise.
   */
  resume(policy: Policy): void;
  /**
   * An Adam optimiser the job saves with its model under `name`, restored from
   * the saved one when the job continues a model that saved one of that size.
   */
  optimizer(name: string, size: number, beta1?: number, beta2?: number, eps?: number): Adam;
}

/** A learning algorithm: its accepted hyperparameters (its schema's properties) and its loop. */
export interface Algorithm<A extends AlgorithmName = AlgorithmName> {
  readonly name: A;
  readonly summary: string;
  readonly hyperparameters: Readonly<Record<string, HyperparameterProperty>>;
  /** Why this algorithm cannot train on these spaces, or null if it can. */
  unsupported(observation: SpaceDescription, action: SpaceDescription): string | null;
  /** Cross-field problems with resolved hyperparameters (e.g. a minibatch larger than the batch). */
  check?(hp: ResolvedHyperparameters<A>): string[];
  /** The architecture `train` builds for these spaces and hyperparameters (so its size is known before training). */
  policySpec(observation: SpaceDescription, action: SpaceDescription, hp: ResolvedHyperparameters<A>): PolicySpec;
  train(ctx: TrainContext<ResolvedHyperparameters<A>>): TrainOutcome;
}

/** What an algorithm reports after an iteration. */
export interface IterationReport {
  timesteps: number;
  episodes: EpisodeRecord[];
  losses?: Record<string, number>;
  entropy?: number;
  epsilon?: number;
}

/** Monitor settings. */
export interface MonitorOptions {
  total_timesteps: number;
  eval_freq: number;
  eval_episodes: number;
  early_stop: boolean;
  reward_threshold: number | null;
  seed: number;
  makeEnv(): Env<unknown, unknown>;
  /**
   * Receives progress after each iteration; `due` false skips building a report
   * (the job's Throttle decides the pace, in one place).
   */
  progress?: { readonly due: boolean; offer(p: TrainProgress): void; flush?(): void };
  /** True once the job has been asked to stop. */
  shouldStop?(): boolean;
  /** Receives the policy as it stands when a checkpoint is due (between iterations, never mid-update). */
  checkpoint?: { readonly due: boolean; offer(c: TrainSnapshot): void };
  /** Receives a snapshot every `every` steps (checkpoint_freq), for a numbered checkpoint. */
  numbered?: { every: number; offer(c: TrainSnapshot): void };
  /** Receives a snapshot whenever a periodic evaluation beats every earlier one (save_best). */
  best?: { offer(c: TrainSnapshot, point: EvaluationPoint): void };
  /** Where a resumed run starts: the saved model's counters and record, which this run continues. */
  resume?: { timesteps: number; episodes: number; elapsed_s: number; curve: CurvePoint[]; evaluations: EvaluationPoint[] };
  /** Called at the first update: throws when a resumed run's algorithm has not loaded the saved policy (`ctx.resume`). */
  checkResumed?(): void;
  tf?: Tf;
  maxEpisodeSteps?: number;
}

/** Episodes averaged in Gymnasium's definition of "solved". */
export const SOLVED_EPISODES = 100;
const CURVE_POINTS = 200;

export class Monitor {
  readonly curve: CurvePoint[] = [];
  readonly evaluations: EvaluationPoint[] = [];
  stopReason: StopReason = 'total_timesteps';
  private readonly recent: number[] = [];
  private readonly recentLengths: number[] = [];
  private lastLength: number | null = null;
  private episodes = 0;
  private lastReturn: number | null = null;
  private timesteps = 0;
  private losses: Record<string, number> = {};
  private entropy: number | null = null;
  private epsilon: number | null = null;
  private nextEval: number;
  private nextCurve = 0;
  private nextNumbered: number;
  private bestReturn = -Infinity;
  private readonly started = performance.now();
  private evalSeconds = 0;
  /** The step count this run starts from (a resumed model's), and the one it ends at. */
  readonly start: number;
  readonly end: number;
  private readonly elapsedBefore: number;

  constructor(readonly opts: MonitorOptions) {
    const r = opts.resume;
    this.start = r?.timesteps ?? 0;
    this.end = this.start + opts.total_timesteps;
    this.timesteps = this.start;
    this.episodes = r?.episodes ?? 0;
    this.elapsedBefore = r?.elapsed_s ?? 0;
    if (r) {
      this.curve.push(...r.curve);
      this.evaluations.push(...r.evaluations);
    }
    this.nextCurve = this.start;
    this.nextEval = opts.eval_freq > 0 ? this.start + opts.eval_freq : Infinity;
    this.nextNumbered = opts.numbered && opts.numbered.every > 0 ? this.start + opts.numbered.every : Infinity;
  }

  /** True once the job has been asked to stop (algorithms poll this inside long updates too). */
  get stopping(): boolean {
    return this.opts.shouldStop?.() ?? false;
  }

  /** Seconds of training, a resumed model's included. */
  private elapsed(): number {
    return this.elapsedBefore + this.ownElapsed();
  }

  private ownElapsed(): number {
    return (performance.now() - this.started) / 1000;
  }

  /** The run as it stands. */
  private snapshot(policy: Policy): TrainSnapshot {
    return { policy, progress: this.progress(), curve: this.curve, evaluations: this.evaluations };
  }

  /**
   * Records an iteration; answers true when training should end now. `report.timesteps`
   * counts this run's steps; a resumed run's counter continues from the saved model's.
   */
  update(report: IterationReport, policy: Policy): boolean {
    if (this.opts.checkResumed) {
      this.opts.checkResumed();
      this.opts.checkResumed = undefined;
    }
    this.timesteps = this.start + report.timesteps;
    for (const e of report.episodes) {
      this.episodes += 1;
      this.lastReturn = e.return;
      this.recent.push(e.return);
      if (this.recent.length > 100) this.recent.shift();
      this.lastLength = e.length;
      this.recentLengths.push(e.length);
      if (this.recentLengths.length > 100) this.recentLengths.shift();
    }
    if (report.losses) this.losses = report.losses;
    if (report.entropy !== undefined) this.entropy = report.entropy;
    if (report.epsilon !== undefined) this.epsilon = report.epsilon;
    if (this.timesteps >= this.nextCurve) {
      this.curve.push({ timesteps: this.timesteps, episodes: this.episodes, mean_return_100: this.mean100(), elapsed_s: this.elapsed() });
      this.nextCurve = this.timesteps + this.opts.total_timesteps / CURVE_POINTS;
    }
    let stop = false;
    let evaluated = false;
    if (this.timesteps >= this.nextEval) {
      while (this.nextEval <= this.timesteps) this.nextEval += this.opts.eval_freq;
      stop = this.periodicEvaluation(policy);
      evaluated = true;
    }
    if (!stop && this.stopping) {
      this.stopReason = 'stopped';
      stop = true;
    }
    if (this.timesteps >= this.nextNumbered && this.opts.numbered) {
      while (this.nextNumbered <= this.timesteps) this.nextNumbered += this.opts.numbered.every;
      this.opts.numbered.offer(this.snapshot(policy));
    }
    if (stop || this.timesteps >= this.end) return true;
    if (this.opts.progress?.due) this.opts.progress.offer(this.progress());
    else if (evaluated && this.opts.progress) {
      // Every evaluation reaches the watchers and the run record, however soon after the last report it came.
      this.opts.progress.offer(this.progress());
      this.opts.progress.flush?.();
    }
    if (this.opts.checkpoint?.due) this.opts.checkpoint.offer(this.snapshot(policy));
    return false;
  }

  private mean100(): number | null {
    return this.recent.length ? this.recent.reduce((a, b) => a + b, 0) / this.recent.length : null;
  }

  /** Runs a deterministic evaluation and records it; answers its summary. */
  evaluate(policy: Policy, episodes: number, seedOffset: number, confirmation = false): EvaluationPoint {
    const t0 = performance.now();
    if (this.opts.tf) policy.attachTf(this.opts.tf);
    try {
      const run = evaluatePolicy(policy, this.opts.makeEnv, {
        episodes,
        seed: this.opts.seed + seedOffset,
        deterministic: true,
        maxEpisodeSteps: this.opts.maxEpisodeSteps,
        shouldStop: this.opts.shouldStop,
      });
      const point: EvaluationPoint = { ...summarise(run), timesteps: this.timesteps, elapsed_s: this.elapsed() };
      if (confirmation) point.confirmation = true;
      // A stop can cut an evaluation before its first episode ends: that one says nothing, and the model keeps the last that did.
      if (point.episodes > 0) this.evaluations.push(point);
      return point;
    } finally {
      policy.detachTf();
      this.evalSeconds += (performance.now() - t0) / 1000;
    }
  }

  /**
   * The periodic evaluation; with early stopping, a mean at the threshold is
   * confirmed on 100 fresh episodes (Gymnasium's "solved") before stopping.
   */
  private periodicEvaluation(policy: Policy): boolean {
    // Fixed evaluation seeds, far from the training ones, so evaluations compare like with like.
    const point = this.evaluate(policy, this.opts.eval_episodes, 1_000_000);
    this.offerBest(policy, point);
    const threshold = this.opts.reward_threshold;
    if (!this.opts.early_stop || threshold === null || point.mean_return < threshold || this.stopping) return false;
    const confirmed =
      point.episodes >= SOLVED_EPISODES ? point : this.evaluate(policy, SOLVED_EPISODES, 2_000_000, true);
    if (confirmed.mean_return >= threshold && confirmed.episodes >= Math.min(SOLVED_EPISODES, point.episodes)) {
      this.stopReason = 'reward_threshold';
      return true;
    }
    return false;
  }

  /** Hands the policy on as the best so far when this evaluation (on the fixed seeds) beats every earlier one. */
  private offerBest(policy: Policy, point: EvaluationPoint): void {
    if (!this.opts.best || !(point.mean_return > this.bestReturn)) return;
    this.bestReturn = point.mean_return;
    this.opts.best.offer(this.snapshot(policy), point);
  }

  /** Time spent in periodic evaluations, in seconds. */
  get evaluationSeconds(): number {
    return this.evalSeconds;
  }

  /** The current progress report. */
  progress(): TrainProgress {
    const elapsed = this.elapsed();
    const own = this.ownElapsed();
    const sps = own > 0 ? (this.timesteps - this.start) / own : 0;
    const left = Math.max(0, this.end - this.timesteps);
    return {
      timesteps: this.timesteps,
      total_timesteps: this.end,
      episodes: this.episodes,
      last_return: this.lastReturn,
      mean_return_100: this.mean100(),
      last_length: this.lastLength,
      mean_length_100: this.recentLengths.length ? this.recentLengths.reduce((a, b) => a + b, 0) / this.recentLengths.length : null,
      losses: this.losses,
      entropy: this.entropy,
      epsilon: this.epsilon,
      steps_per_second: sps,
      elapsed_s: elapsed,
      remaining_s: sps > 0 ? left / sps : null,
      evaluation: this.evaluations.length ? this.evaluations[this.evaluations.length - 1] : null,
    };
  }

  /** Ends the run: a final evaluation when none was made at this timestep, and the outcome. */
  finish(policy: Policy): TrainOutcome {
    const last = this.evaluations[this.evaluations.length - 1];
    if ((!last || last.timesteps !== this.timesteps) && !this.stopping) this.offerBest(policy, this.evaluate(policy, this.opts.eval_episodes, 1_000_000));
    const lastPoint = this.curve[this.curve.length - 1];
    if (!lastPoint || lastPoint.timesteps !== this.timesteps) {
      this.curve.push({ timesteps: this.timesteps, episodes: this.episodes, mean_return_100: this.mean100(), elapsed_s: this.elapsed() });
    }
    const progress = this.progress();
    progress.remaining_s = 0;
    return { policy, stop_reason: this.stopReason, progress, curve: this.curve, evaluations: this.evaluations };
  }
}

/** Linear interpolation from `start` to `end` over `duration` steps, then `end` (CleanRL's linear_schedule). */
export function linearSchedule(start: number, end: number, duration: number, t: number): number {
  if (duration <= 0) return end;
  return start + (end - start) * Math.min(1, t / duration);
}
