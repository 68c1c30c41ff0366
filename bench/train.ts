/**
 * How well and how fast the trainers learn, with their default settings:
 *
 * - `all`: every built-in environment trained with its default algorithm and
 *   defaults, per seed, until a periodic deterministic evaluation reaches the
 *   environment's target, confirmed over 100 episodes (early stopping); then an
 *   independent 100-episode deterministic evaluation on other seeds. One summary
 *   table at the end: seeds that reached the target, median steps, wall-clock and
 *   CPU seconds, the independent means. `--envs A,B` runs only those.
 * - PPO, A2C, REINFORCE, GRPO and DQN on CartPole-v1: the same, to 475 within
 *   100k steps, with Stable-Baselines3's figures on this machine beside PPO, A2C and DQN.
 * - SAC and TD3 on Pendulum-v1 (which has no reward_threshold of its own):
 *   steps and seconds until a periodic evaluation (every 2,000 steps, 10
 *   deterministic episodes, as the SB3 comparison does) reaches −200,
 *   confirmed over 100 episodes, within 20k steps; then an independent
 *   100-episode check.
 * - `continuous` (or an environment's id): Pendulum-v1 (−200) and
 *   MountainCarContinuous-v0 (90) with their default algorithms, the same
 *   protocol (evaluations every 2,000 steps for SAC and TD3, 5,000 for the
 *   others), with CPU seconds beside wall-clock and SB3's figures beside.
 * - The toy-text environments (FrozenLake 4x4 and 8x8, Taxi, CliffWalking,
 *   Blackjack) under their default algorithm (tabular Q-learning), per seed:
 *   the exact expected return of the greedy policy against the target
 *   (`tabular`).
 *
 * - LunarLander-v3 (`lunar`, not in the default set: minutes per seed): its default algorithm and
 *   budget, early stop at 200 confirmed over 100 episodes, with wall-clock and CPU seconds per seed;
 *   `--save-lunar DATA_DIR` saves the first seed that reached 200 as a model there (the page test's lander).
 *
 * Training runs in this process on the backend chosen as the server would, one seed after another.
 *
 *   npm run bench -- train all [--envs CartPole-v0,CartPole-v1] [--seeds 1,2,3,4,5]
 *   node -r @swc-node/register bench/train.ts [all] [ppo] [a2c] [reinforce] [grpo] [dqn] [sac] [td3] [tabular] [lunar] [continuous] [Pendulum-v1] [MountainCarContinuous-v0] [--seeds 1,2,3,4,5] [--backend wasm] [--save-lunar DATA_DIR]
 *   node -r @swc-node/register bench/train.ts all --envs MountainCarContinuous-v0 --algorithm ppo   (`all` with another algorithm than the default, for the rows that train one)
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { registry } from '../src/envs';
import { WrapperStats, applyWrappers } from '../src/envs/wrappers/catalogue';
import { loadBackend, Tf } from '../src/train/core/backend';
import { evaluatePolicy, summarise } from '../src/train/core/evaluation';
import { ObsBatch, Policy } from '../src/train/core/policy';
import { Rng } from '../src/train/core/random';
import { TrainPlan, planTraining, runTraining } from '../src/train/jobs/runner';
import { MODEL_FORMAT, ModelMeta, ModelStore } from '../src/models/store';
import { VERSION } from '../src/version';
import { blackjackReturn, tabularReturn, TabularModel } from './exact_return';

const SOLVED = 475;
const BUDGET = 100_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * Greedy evaluation of a trained policy on `episodes` fresh episodes from seed 10^6 on, in the wrappers it
 * was trained in with their saved statistics frozen (reward wrappers left out), as `evaluate` runs a saved model.
 */
function check(envId: string, result: ReturnType<typeof runTraining>, episodes: number, tf: Tf, kwargs: Record<string, unknown> = {}) {
  const policy = new Policy(result.policy.spec).load(result.policy.params);
  const wrappers = result.policy.wrappers ?? [];
  const stats = new WrapperStats(wrappers, wrappers);
  const makeEnv = () => applyWrappers(registry.make(envId, { kwargs }), wrappers, { stats, evaluation: true });
  policy.attachTf(tf);
  try {
    return summarise(evaluatePolicy(policy, makeEnv, { episodes, seed: 1_000_000, deterministic: true, maxEpisodeSteps: 10_000 }));
  } finally {
    policy.detachTf();
  }
}

/** One row of the `all` summary: an environment's default algorithm run to its target, seed by seed. */
export interface Row {
  env: string;
  algorithm: string;
  /** As printed (most are a number; Blackjack's is relative to the optimum). */
  target: string;
  seeds: number;
  /** Seeds whose early stop fired at the target. */
  reached: number;
  /** Per seed that reached the target: steps, wall-clock and CPU seconds (user + system) until it stopped, evaluations included. */
  steps: number[];
  wall_s: number[];
  cpu_s: number[];
  /** Per seed: the mean return of the independent 100-episode deterministic evaluation after training. */
  independent: number[];
}

/** An environment of `all`: its target and how its row is made. Other functions plug in here. */
export interface Entry {
  env: string;
  target: number;
  /** `algorithm`: one other than the environment's default (`--algorithm`), where the row trains one. */
  run: (seeds: number[], tf: Tf, algorithm?: string) => Row | Promise<Row>;
}

/** Options of `toTarget`: anything left out is the environment's default (algorithm, hyperparameters, budget). */
interface ToTarget {
  algorithm?: string;
  hyperparameters?: Record<string, unknown>;
  total_timesteps?: number;
  /** Printed as the target (default: the number). */
  label?: string;
}

/**
 * Trains `env` once per seed with early stop at `target` (set as the plan's reward threshold, so
 * environments without one stop too), timing wall-clock and process CPU from the plan to the end of
 * training (periodic evaluations and the 100-episode confirmation included), then checks each policy
 * on 100 fresh deterministic episodes. Prints a line per seed; answers the row.
 */
export function toTarget(env: string, target: number, seeds: number[], tf: Tf, opts: ToTarget = {}): Row {
  const row: Row = { env, algorithm: '', target: opts.label ?? String(target), seeds: seeds.length, reached: 0, steps: [], wall_s: [], cpu_s: [], independent: [] };
  for (const seed of seeds) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const plan = planTraining(registry, {
      env_id: env,
      algorithm: opts.algorithm,
      seed,
      total_timesteps: opts.total_timesteps,
      early_stop: true,
      hyperparameters: opts.hyperparameters,
    });
    plan.reward_threshold = target;
    row.algorithm = plan.algorithm;
    const r = runTraining(registry, plan, tf);
    const cpu = process.cpuUsage(c0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const seconds = (performance.now() - t0) / 1000;
    const ok = r.stop_reason === 'reward_threshold';
    const after = check(plan.env_id, r, 100, tf);
    row.independent.push(after.mean_return);
    if (ok) {
      row.reached++;
      row.steps.push(r.progress.timesteps);
      row.wall_s.push(seconds);
      row.cpu_s.push(cpuSeconds);
    }
    const evals = r.evaluations.filter((e) => !e.confirmation).length;
    const confirmations = r.evaluations.length - evals;
    console.log(
      `  ${env} ${plan.algorithm} seed ${seed}: ${ok ? 'reached' : 'did NOT reach'} ${row.target} at ${r.progress.timesteps} of ${plan.total_timesteps} steps ` +
        `in ${seconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU (${evals} evaluations, ${confirmations} confirmations); ` +
        `independent 100-episode eval: ${after.mean_return.toFixed(1)} ± ${after.std_return.toFixed(1)}`,
    );
  }
  return row;
}

/** SB3 2.4.1 with RL Zoo's settings on this 2-core machine (one torch thread): evaluation every 5,000 steps on 10 deterministic episodes, stop at 475. */
const SB3_CARTPOLE: Record<string, { steps: string; seeds: string; wall_s: number }> = {
  ppo: { steps: '15k–25k', seeds: '5/5', wall_s: 6 },
  a2c: { steps: '10k–20k', seeds: '3/3', wall_s: 3.6 },
  dqn: { steps: '25k–55k', seeds: '3/3', wall_s: 42 },
};

function cartpole(algorithm: string, seeds: number[], tf: Tf): Row {
  const hp = planTraining(registry, { env_id: 'CartPole-v1', algorithm, seed: 0 }).hyperparameters;
  console.log(
    `\n${algorithm.toUpperCase()} on CartPole-v1, default hyperparameters, early stop at ${SOLVED}: an evaluation every ${hp.eval_freq} steps ` +
      `on ${hp.eval_episodes} deterministic episodes, a pass confirmed on 100 fresh ones (counted in the time); budget ${BUDGET} steps`,
  );
  const row = toTarget('CartPole-v1', SOLVED, seeds, tf, { algorithm, total_timesteps: BUDGET });
  const sb3 = SB3_CARTPOLE[algorithm];
  console.log(`  => ${row.reached}/${row.seeds} solved; median ${fmt(row.steps, 0)} steps, ${fmt(row.wall_s, 1)} s wall, ${fmt(row.cpu_s, 1)} s CPU (solved seeds)`);
  if (sb3) {
    const ratio = row.cpu_s.length ? ` — Palestra's CPU s / SB3's wall s: ${(median(row.cpu_s) / sb3.wall_s).toFixed(2)}` : '';
    console.log(`     SB3 2.4.1 (RL Zoo settings, same machine, 1 torch thread): ${sb3.seeds} solved, ${sb3.steps} steps, median ${sb3.wall_s} s wall${ratio}`);
  }
  return row;
}

/** The median of `xs` with `digits` decimals, or – when empty. */
function fmt(xs: number[], digits: number): string {
  return xs.length ? median(xs).toFixed(digits) : '–';
}

/** An entry trained to `target` by the plain protocol (`toTarget`). */
const toTargetEntry = (env: string, target: number): Entry => ({ env, target, run: (seeds, tf, algorithm) => toTarget(env, target, seeds, tf, { algorithm }) });

/**
 * Every built-in environment with its target, and how its row is made: its default algorithm with its
 * defaults, to a mean over 100 deterministic episodes at the target (`toTarget`), or the exact evaluation
 * of the toy-text environments (`tabular`), or LunarLander's own run (`lunarLander`).
 */
export const ALL: Entry[] = [
  toTargetEntry('CartPole-v0', 195),
  toTargetEntry('CartPole-v1', 475),
  toTargetEntry('Acrobot-v1', -100),
  toTargetEntry('MountainCar-v0', -110),
  // The SB3 comparison's protocol and budget, with SB3's row printed beside (`continuousCase`).
  { env: 'MountainCarContinuous-v0', target: 90, run: (seeds, tf, algorithm) => continuousCase({ ...CONTINUOUS_CASES[1], algorithm }, seeds, tf) },
  { env: 'Pendulum-v1', target: -200, run: (seeds, tf, algorithm) => continuousCase({ ...CONTINUOUS_CASES[0], algorithm }, seeds, tf) },
  // The toy-text environments are judged by the exact expected return of the greedy policy (`tabular`), after a fixed budget.
  ...['FrozenLake-v1', 'FrozenLake8x8-v1', 'Taxi-v3', 'CliffWalking-v0', 'Blackjack-v1'].map((env) => ({ env, target: NaN, run: (seeds: number[], tf: Tf) => tabularRow(env, seeds, tf) })),
  { env: 'LunarLander-v3', target: 200, run: (seeds, tf) => landerRow(seeds, tf) },
];

/** A toy-text environment's row from `tabular` (exact evaluation: no sampled 100-episode mean). */
function tabularRow(env: string, seeds: number[], tf: Tf): Row {
  const [r] = tabular(seeds, tf, [env]);
  const one = (x: number | null) => (x === null ? [] : [x]);
  return {
    env,
    algorithm: r.algorithm,
    target: `${r.target.toFixed(3)} (exact)`,
    seeds: r.seeds,
    reached: r.solved,
    steps: one(r.median_steps),
    wall_s: one(r.median_seconds),
    cpu_s: one(r.median_cpu_seconds),
    independent: [],
  };
}

/** LunarLander-v3's row from `lunarLander`. */
async function landerRow(seeds: number[], tf: Tf): Promise<Row> {
  const results = await lunarLander(seeds, tf);
  const ok = results.filter((x) => x.reached);
  const algorithm = planTraining(registry, { env_id: 'LunarLander-v3', seed: 0 }).algorithm;
  return {
    env: 'LunarLander-v3',
    algorithm,
    target: '200',
    seeds: seeds.length,
    reached: ok.length,
    steps: ok.map((x) => x.steps),
    wall_s: ok.map((x) => x.wall_s),
    cpu_s: ok.map((x) => x.cpu_s),
    independent: results.map((x) => x.mean_return),
  };
}

/** Trains every entry of `ALL` (or those whose environment is in `only`), with `algorithm` where given, and prints one summary table. */
export async function all(seeds: number[], tf: Tf, only: string[] = [], algorithm?: string): Promise<Row[]> {
  const entries = only.length ? ALL.filter((e) => only.includes(e.env)) : ALL;
  const rows: Row[] = [];
  for (const entry of entries) {
    console.log(`\n${entry.env}`);
    rows.push(await entry.run(seeds, tf, algorithm));
  }
  printTable(rows);
  return rows;
}

/** The summary: one line per environment, medians over the seeds that reached the target. */
export function printTable(rows: Row[]): void {
  const head = ['env', 'algorithm', 'target', 'seeds reached', 'median steps', 'median wall s', 'median CPU s', 'independent 100-episode mean, median (min)'];
  const lines = rows.map((r) => [
    r.env,
    r.algorithm,
    r.target,
    `${r.reached}/${r.seeds}`,
    fmt(r.steps, 0),
    fmt(r.wall_s, 1),
    fmt(r.cpu_s, 1),
    r.independent.length ? `${median(r.independent).toFixed(2)} (${Math.min(...r.independent).toFixed(2)})` : '–',
  ]);
  console.log(`\n| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
  for (const l of lines) console.log(`| ${l.join(' | ')} |`);
}

const PENDULUM_TARGET = -200;

function pendulum(algorithm: 'sac' | 'td3', seeds: number[], tf: Tf): void {
  continuousCase({ env: 'Pendulum-v1', target: PENDULUM_TARGET, budget: 20_000, algorithm }, seeds, tf);
}

/** A continuous-control case: an environment, its target, a budget, and optionally SB3's row to compare. */
export interface TargetCase {
  env: string;
  target: number;
  budget: number;
  /** The algorithm; absent: the environment's default. */
  algorithm?: string;
  /** SB3's figures for the same protocol, printed beside ours. */
  sb3?: string;
}

/** Algorithms that learn from a replay buffer: evaluated every 2,000 steps, the others every 5,000 (as the SB3 comparison does). */
const OFF_POLICY = new Set(['sac', 'td3', 'dqn']);

/**
 * A continuous case by the SB3 comparison's protocol (`toTarget` with evaluations every 2,000 or
 * 5,000 steps on 10 deterministic episodes), then the seeds that reached the target and their median
 * steps, wall-clock and CPU seconds, with SB3's figures beside.
 */
export function continuousCase(c: TargetCase, seeds: number[], tf: Tf): Row {
  const algorithm = planTraining(registry, { env_id: c.env, algorithm: c.algorithm, seed: 0 }).algorithm;
  const evalFreq = OFF_POLICY.has(algorithm) ? 2_000 : 5_000;
  console.log(
    `\n${algorithm.toUpperCase()}${c.algorithm ? '' : ' (the default)'} on ${c.env}, default hyperparameters, early stop at ${c.target} ` +
      `(evaluations every ${evalFreq} steps on 10 deterministic episodes, confirmed on 100), budget ${c.budget} steps`,
  );
  const row = toTarget(c.env, c.target, seeds, tf, { algorithm, total_timesteps: c.budget, hyperparameters: { eval_freq: evalFreq, eval_episodes: 10 } });
  console.log(`  => reached ${row.reached}/${row.seeds}; median ${fmt(row.steps, 0)} steps, ${fmt(row.wall_s, 1)} s wall, ${fmt(row.cpu_s, 1)} s CPU (seeds that reached it)`);
  if (c.sb3) console.log(`     SB3: ${c.sb3}`);
  return row;
}

/** The SB3 comparison rows of the continuous environments, with this project's default algorithm for each. */
export const CONTINUOUS_CASES: TargetCase[] = [
  { env: 'Pendulum-v1', target: PENDULUM_TARGET, budget: 20_000, sb3: 'SAC, Pendulum-v1 (≥ −200): 4k steps (3/3 seeds), about 65 s median wall-clock' },
  {
    env: 'MountainCarContinuous-v0',
    target: 90,
    budget: 100_000,
    sb3: 'PPO + normalisation + gSDE, MountainCarContinuous-v0 (≥ 90): 20k steps → final mean 91.7, 50 s wall-clock',
  },
];

/** The continuous environments with their default algorithms, against SB3's rows. */
export function continuous(seeds: number[], tf: Tf): Row[] {
  return CONTINUOUS_CASES.map((c) => continuousCase(c, seeds, tf));
}

const LUNAR = 'LunarLander-v3';
const LANDER_MODEL = 'lunar-lander-default';

/** Saves a lander as the server saves a job's model (weights and record, without the optimiser state or the curve, to stay small). */
async function saveLander(dataDir: string, plan: TrainPlan, r: ReturnType<typeof runTraining>, wall: number): Promise<void> {
  const now = new Date().toISOString();
  const meta: ModelMeta = {
    format: MODEL_FORMAT,
    name: LANDER_MODEL,
    algorithm: plan.algorithm,
    env_id: plan.env_id,
    env_kwargs: plan.env_kwargs,
    hyperparameters: plan.hyperparameters,
    seed: plan.seed,
    session: null,
    job_id: null,
    total_timesteps: plan.total_timesteps,
    timesteps: r.progress.timesteps,
    episodes: r.progress.episodes,
    stop_reason: r.stop_reason,
    created_at: now,
    started_at: null,
    finished_at: now,
    elapsed_s: wall,
    mean_return_100: r.progress.mean_return_100,
    evaluation: r.evaluations[r.evaluations.length - 1] ?? null,
    backend: 'wasm',
    palestra_version: VERSION,
    policy: r.policy.spec,
    curve: [],
    evaluations: r.evaluations,
  };
  await new ModelStore(dataDir).save(meta, r.policy.params, true);
}

/** One seed of the LunarLander benchmark. */
export interface LanderResult {
  seed: number;
  reached: boolean;
  steps: number;
  wall_s: number;
  cpu_s: number;
  mean_return: number;
}

/**
 * LunarLander-v3 with its default algorithm, hyperparameters and budget, early stop at the spec's
 * reward_threshold (200: a periodic deterministic evaluation at or above it, confirmed over 100
 * episodes). Per seed: reached or not, steps, wall-clock and CPU seconds (user + system, this
 * process), and an independent 100-episode deterministic evaluation; then the seeds that reached
 * 200 and their medians. Returns the per-seed results for a caller that tabulates them.
 */
export async function lunarLander(
  seeds: number[],
  tf: Tf,
  saveDir?: string,
): Promise<LanderResult[]> {
  const probe = planTraining(registry, { env_id: LUNAR, seed: 0, early_stop: true });
  const target = probe.reward_threshold ?? 200;
  console.log(
    `\n${LUNAR}: default algorithm ${probe.algorithm.toUpperCase()} with its defaults, early stop at ${target} ` +
      `(evaluations every ${probe.hyperparameters.eval_freq} steps, confirmed on 100 episodes), budget ${probe.total_timesteps} steps`,
  );
  const results: LanderResult[] = [];
  let saved = false;
  for (const seed of seeds) {
    const plan = planTraining(registry, { env_id: LUNAR, seed, early_stop: true });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let shown = -1;
    // Each periodic evaluation as it comes, with the CPU seconds so far: the curve, even of a run cut short.
    const r = runTraining(registry, plan, tf, {
      progress_interval_ms: 0,
      onProgress(p) {
        if (!p.evaluation || p.evaluation.timesteps === shown) return;
        shown = p.evaluation.timesteps;
        const c = process.cpuUsage(cpu0);
        console.log(
          `    ${p.timesteps} steps: evaluation ${p.evaluation.mean_return.toFixed(1)} (${p.evaluation.episodes} episodes), ` +
            `training mean ${p.mean_return_100?.toFixed(1) ?? '–'}; ${((c.user + c.system) / 1e6).toFixed(0)} s CPU, ${((performance.now() - t0) / 1000).toFixed(0)} s wall`,
        );
      },
    });
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const reached = r.stop_reason === 'reward_threshold';
    const after = check(LUNAR, r, 100, tf);
    results.push({ seed, reached, steps: r.progress.timesteps, wall_s: wall, cpu_s: cpuSeconds, mean_return: after.mean_return });
    if (saveDir && reached && !saved) {
      await saveLander(saveDir, plan, r, wall);
      saved = true;
      console.log(`    saved as model ${LANDER_MODEL} in ${saveDir}/models`);
    }
    const evals = r.evaluations.map((e) => `${e.timesteps}:${e.mean_return.toFixed(0)}`).join(' ');
    console.log(
      `  seed ${seed}: ${reached ? 'reached' : 'did NOT reach'} ${target} at ${r.progress.timesteps} steps in ${wall.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU; ` +
        `independent 100-episode eval: ${after.mean_return.toFixed(1)} ± ${after.std_return.toFixed(1)}\n    evaluations (steps:mean): ${evals}`,
    );
  }
  const ok = results.filter((x) => x.reached);
  const med = ok.length
    ? `${median(ok.map((x) => x.steps))} steps, ${median(ok.map((x) => x.wall_s)).toFixed(1)} s wall, ${median(ok.map((x) => x.cpu_s)).toFixed(1)} s CPU`
    : '–';
  console.log(`  => reached ${ok.length}/${seeds.length}; median to target (seeds that reached it) ${med}`);
  return results;
}

/** One line of the README's table: an environment, its default algorithm, and how the default run fared. */
export interface BenchRow {
  env: string;
  algorithm: string;
  target: number;
  /** Seeds that reached the target, of `seeds`. */
  solved: number;
  seeds: number;
  /** Medians over the seeds that reached the target (null if none did). */
  median_steps: number | null;
  median_seconds: number | null;
  median_cpu_seconds: number | null;
  optimum?: number;
}

/** The toy-text environments under their default algorithm; the horizon of CliffWalking (no time limit of its own) is 100 steps. */
const TABULAR = ['FrozenLake-v1', 'FrozenLake8x8-v1', 'Taxi-v3', 'CliffWalking-v0', 'Blackjack-v1'];

/**
 * The target of a tabular environment: its reward_threshold, unless that lies above
 * the optimum (or there is none); then the optimum within 0.01.
 */
export function tabularTarget(threshold: number | null | undefined, optimum: number): number {
  return threshold != null && threshold <= optimum ? threshold : optimum - 0.01;
}

/**
 * Q-learning with each toy-text environment's default hyperparameters and budget
 * (a fixed budget, no early stop), on every seed: the exact expected return of the
 * greedy policy beside the exact optimum (bench/exact_return.ts), with steps,
 * wall-clock and CPU seconds of training (periodic evaluations included).
 */
export function tabular(seeds: number[], tf: Tf, envs: string[] = TABULAR): BenchRow[] {
  console.log('\nToy text, default algorithm, hyperparameters and budget; exact expected return of the greedy policy over the time limit');
  const rows: BenchRow[] = [];
  for (const envId of envs) {
    const spec = registry.spec(envId);
    const blackjack = spec.id === 'Blackjack-v1';
    const kwargs = { ...spec.kwargs };
    const model = blackjack ? null : (registry.make(envId).unwrapped as unknown as TabularModel);
    const horizon = spec.max_episode_steps ?? 100;
    const exact = (act: ((obs: unknown) => number) | null) =>
      blackjack ? blackjackReturn(kwargs, act) : tabularReturn(model!, horizon, act);
    const optimum = exact(null);
    const target = tabularTarget(spec.reward_threshold, optimum);
    let algorithm = '';
    const solved: { steps: number; seconds: number; cpu: number }[] = [];
    console.log(`  ${envId}: optimum ${optimum.toFixed(4)}${blackjack ? '' : ` over ${horizon} steps`}, target ${target.toFixed(4)}`);
    for (const seed of seeds) {
      const plan = planTraining(registry, { env_id: envId, seed });
      algorithm = plan.algorithm;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const r = runTraining(registry, plan, tf);
      const seconds = (performance.now() - t0) / 1000;
      const cpuUsed = process.cpuUsage(cpu0);
      const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;
      const policy = new Policy(r.policy.spec).load(r.policy.params);
      const rng = new Rng(0);
      const value = exact((obs) => policy.act({ raw: [obs] } as ObsBatch, 1, true, rng)[0] as number);
      // Returns are sums of a few rewards: allow for rounding in the exact sum.
      const ok = value >= target - 1e-9;
      if (ok) solved.push({ steps: r.progress.timesteps, seconds, cpu });
      console.log(
        `    seed ${seed}: ${value.toFixed(4)} ${ok ? 'solved' : 'NOT solved'}; ${r.progress.timesteps} steps in ${seconds.toFixed(2)} s ` +
          `(${cpu.toFixed(2)} CPU s)`,
      );
    }
    const med = (f: (x: (typeof solved)[number]) => number) => (solved.length ? median(solved.map(f)) : null);
    const row: BenchRow = {
      env: envId,
      algorithm,
      target,
      optimum,
      solved: solved.length,
      seeds: seeds.length,
      median_steps: med((x) => x.steps),
      median_seconds: med((x) => x.seconds),
      median_cpu_seconds: med((x) => x.cpu),
    };
    console.log(
      `    => ${envId} (${algorithm}): solved ${row.solved}/${row.seeds}` +
        (row.median_steps === null ? '' : `; median ${row.median_steps} steps, ${row.median_seconds!.toFixed(2)} s, ${row.median_cpu_seconds!.toFixed(2)} CPU s`),
    );
    rows.push(row);
  }
  return rows;
}

/** Runs the benchmarks named on the command line (all, ppo, a2c, reinforce, grpo, dqn, sac, td3, tabular or q, lunar, continuous or an environment of it), or all but `all`, lunar and continuous. */
export async function main(argv = process.argv.slice(2)): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { seeds: { type: 'string' }, backend: { type: 'string' }, envs: { type: 'string' }, algorithm: { type: 'string' }, 'save-lunar': { type: 'string' } },
  });
  const seeds = (values.seeds ?? '1,2,3,4,5').split(',').map(Number);
  const backend = await loadBackend(values.backend);
  console.log(`backend: ${backend.name}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const which = positionals.length ? positionals : ['ppo', 'a2c', 'reinforce', 'grpo', 'dqn', 'sac', 'td3', 'q'];
  if (which.includes('all')) await all(seeds, backend.tf, values.envs ? values.envs.split(',') : [], values.algorithm);
  const rows: Row[] = [];
  for (const algorithm of ['ppo', 'a2c', 'reinforce', 'grpo', 'dqn']) if (which.includes(algorithm)) rows.push(cartpole(algorithm, seeds, backend.tf));
  if (rows.length > 1) printTable(rows);
  if (which.includes('sac')) pendulum('sac', seeds, backend.tf);
  if (which.includes('td3')) pendulum('td3', seeds, backend.tf);
  if (which.includes('continuous')) continuous(seeds, backend.tf);
  for (const c of CONTINUOUS_CASES) if (which.includes(c.env)) continuousCase(c, seeds, backend.tf);
  if (which.includes('q') || which.includes('tabular')) tabular(seeds, backend.tf);
  if (which.includes('lunar')) await lunarLander(seeds, backend.tf, values['save-lunar']);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
