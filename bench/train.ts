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
 * - Q-learning: FrozenLake-v1 (slippery) greedy success rate, Taxi-v3 mean
 *   return and CliffWalking-v1 return, each over 1000 greedy episodes.
 *
 * Training runs in this process on the backend chosen as the server would, one seed after another.
 *
 *   npm run bench -- train all [--envs CartPole-v0,CartPole-v1] [--seeds 1,2,3,4,5]
 *   node -r @swc-node/register bench/train.ts [all] [ppo] [a2c] [reinforce] [grpo] [dqn] [sac] [td3] [q] [--seeds 1,2,3,4,5] [--backend wasm]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { registry } from '../src/envs';
import { loadBackend, Tf } from '../src/train/core/backend';
import { evaluatePolicy, summarise } from '../src/train/core/evaluation';
import { Policy } from '../src/train/core/policy';
import { Rng } from '../src/train/core/random';
import { planTraining, runTraining } from '../src/train/jobs/runner';

const SOLVED = 475;
const BUDGET = 100_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Greedy evaluation of a trained policy on `episodes` fresh episodes from seed 10^6 on. */
function check(envId: string, result: ReturnType<typeof runTraining>, episodes: number, tf: Tf, kwargs: Record<string, unknown> = {}) {
  const policy = new Policy(result.policy.spec).load(result.policy.params);
  policy.attachTf(tf);
  try {
    return summarise(
      evaluatePolicy(policy, () => registry.make(envId, { kwargs }), { episodes, seed: 1_000_000, deterministic: true, maxEpisodeSteps: 10_000 }),
    );
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
  run: (seeds: number[], tf: Tf) => Row;
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
  console.log(
    `\n${algorithm.toUpperCase()} on CartPole-v1, default hyperparameters, early stop at ${SOLVED} ` +
      `(evaluation every eval_freq steps on eval_episodes deterministic episodes, a pass confirmed on 100), budget ${BUDGET} steps`,
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

/** Every built-in environment with its target (mean over 100 deterministic episodes), and how its row is made: by default, its default algorithm with its defaults. */
export const ALL: Entry[] = [
  { env: 'CartPole-v0', target: 195, run: (seeds, tf) => toTarget('CartPole-v0', 195, seeds, tf) },
  { env: 'CartPole-v1', target: 475, run: (seeds, tf) => toTarget('CartPole-v1', 475, seeds, tf) },
  { env: 'Acrobot-v1', target: -100, run: (seeds, tf) => toTarget('Acrobot-v1', -100, seeds, tf) },
  { env: 'MountainCar-v0', target: -110, run: (seeds, tf) => toTarget('MountainCar-v0', -110, seeds, tf) },
  { env: 'MountainCarContinuous-v0', target: 90, run: (seeds, tf) => toTarget('MountainCarContinuous-v0', 90, seeds, tf) },
  { env: 'Pendulum-v1', target: -200, run: (seeds, tf) => toTarget('Pendulum-v1', -200, seeds, tf) },
  { env: 'FrozenLake-v1', target: 0.7, run: (seeds, tf) => toTarget('FrozenLake-v1', 0.7, seeds, tf) },
  { env: 'FrozenLake8x8-v1', target: 0.85, run: (seeds, tf) => toTarget('FrozenLake8x8-v1', 0.85, seeds, tf) },
  { env: 'Taxi-v3', target: 7.9, run: (seeds, tf) => toTarget('Taxi-v3', 7.9, seeds, tf) },
  { env: 'CliffWalking-v0', target: -13, run: (seeds, tf) => toTarget('CliffWalking-v0', -13, seeds, tf) },
  // The optimum's mean return is about −0.04, so a sampled 100-episode mean cannot tell 0.01 apart; the exact evaluation of `tabular()` can.
  { env: 'Blackjack-v1', target: -0.05, run: (seeds, tf) => toTarget('Blackjack-v1', -0.05, seeds, tf, { label: 'optimum − 0.01' }) },
  { env: 'LunarLander-v3', target: 200, run: (seeds, tf) => toTarget('LunarLander-v3', 200, seeds, tf) },
];

/** Trains every entry of `ALL` (or those whose environment is in `only`) and prints one summary table. */
export function all(seeds: number[], tf: Tf, only: string[] = []): Row[] {
  const entries = only.length ? ALL.filter((e) => only.includes(e.env)) : ALL;
  const rows: Row[] = [];
  for (const entry of entries) {
    console.log(`\n${entry.env}: default algorithm and hyperparameters, early stop at ${entry.target}`);
    rows.push(entry.run(seeds, tf));
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
  console.log(`\n${algorithm.toUpperCase()} on Pendulum-v1, default hyperparameters, early stop at ${PENDULUM_TARGET} (evaluations every 2000 steps, confirmed on 100 episodes), budget 20000 steps`);
  const solvedTimes: number[] = [];
  const solvedSteps: number[] = [];
  for (const seed of seeds) {
    const plan = planTraining(registry, { env_id: 'Pendulum-v1', algorithm, seed, total_timesteps: 20_000, early_stop: true, hyperparameters: { eval_freq: 2_000, eval_episodes: 10 } });
    plan.reward_threshold = PENDULUM_TARGET;
    const t0 = performance.now();
    const r = runTraining(registry, plan, tf);
    const seconds = (performance.now() - t0) / 1000;
    const ok = r.stop_reason === 'reward_threshold';
    const after = check('Pendulum-v1', r, 100, tf);
    if (ok) {
      solvedTimes.push(seconds);
      solvedSteps.push(r.progress.timesteps);
    }
    console.log(
      `  seed ${seed}: ${ok ? 'reached' : 'did NOT reach'} ${PENDULUM_TARGET} at ${r.progress.timesteps} steps in ${seconds.toFixed(1)} s ` +
        `(${(r.progress.timesteps / seconds).toFixed(0)} steps/s incl. evaluations); ` +
        `independent 100-episode eval: ${after.mean_return.toFixed(1)} ± ${after.std_return.toFixed(1)}`,
    );
  }
  const med = solvedTimes.length ? `${median(solvedTimes).toFixed(1)} s, ${median(solvedSteps)} steps` : '–';
  console.log(`  => reached ${solvedTimes.length}/${seeds.length}; median to target (seeds that reached it) ${med}`);
}

/** A toy-text environment's model, as Gymnasium exposes it: `P[s][a]` = [prob, next, reward, terminated][]. */
interface TabularModel {
  P: [number, number, number, boolean][][][];
  initial_state_distrib: Float64Array;
}

/**
 * The exact expected return over `horizon` steps (the time limit) from the
 * initial distribution, by backward induction: of the greedy policy `act`,
 * or of the optimal policy when `act` is null. No sampling noise.
 */
function exactReturn(model: TabularModel, horizon: number, act: ((s: number) => number) | null): number {
  const nS = model.P.length;
  let v = new Float64Array(nS);
  for (let t = 0; t < horizon; t++) {
    const next = new Float64Array(nS);
    for (let s = 0; s < nS; s++) {
      const value = (a: number) => model.P[s][a].reduce((sum, [p, s2, r, term]) => sum + p * (r + (term ? 0 : v[s2])), 0);
      if (act) next[s] = value(act(s));
      else next[s] = Math.max(...model.P[s].map((_, a) => value(a)));
    }
    v = next;
  }
  return model.initial_state_distrib.reduce((sum, p, s) => sum + p * v[s], 0);
}

function tabular(seeds: number[], tf: Tf): void {
  console.log('\nQ-learning, default hyperparameters and budgets; exact expected return of the greedy policy (backward induction');
  console.log('over the time limit) beside the exact optimum, and the mean over 1000 sampled greedy episodes');
  const cases = [
    { env: 'FrozenLake-v1', what: 'success rate (slippery)', target: '≥ 0.70', horizon: 100 },
    { env: 'Taxi-v3', what: 'mean return', target: '≥ 7.9', horizon: 200 },
    // CliffWalking has no time limit; 100 steps is far beyond the 13-step optimal path.
    { env: 'CliffWalking-v1', what: 'return', target: '= −13', horizon: 100 },
  ];
  for (const c of cases) {
    const model = registry.make(c.env).unwrapped as unknown as TabularModel;
    const optimum = exactReturn(model, c.horizon, null);
    for (const seed of seeds.slice(0, 3)) {
      const plan = planTraining(registry, { env_id: c.env, algorithm: 'q_learning', seed });
      const t0 = performance.now();
      const r = runTraining(registry, plan, tf);
      const seconds = (performance.now() - t0) / 1000;
      const policy = new Policy(r.policy.spec).load(r.policy.params);
      const exact = exactReturn(model, c.horizon, (s) => policy.predict(new Float32Array(policy.encoder.size), s, true, new Rng(0)).action as number);
      const sampled = check(c.env, r, 1000, tf);
      console.log(
        `  ${c.env} seed ${seed}: ${c.what} ${exact.toFixed(4)} exact (optimum ${optimum.toFixed(4)}; target ${c.target}), ` +
          `${sampled.mean_return.toFixed(3)} over 1000 episodes; ${plan.total_timesteps} steps in ${seconds.toFixed(1)} s`,
      );
    }
  }
}

/** Runs the benchmarks named on the command line (all, ppo, a2c, reinforce, grpo, dqn, sac, td3, q), or every one but `all`. */
export async function main(argv = process.argv.slice(2)): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { seeds: { type: 'string' }, backend: { type: 'string' }, envs: { type: 'string' } },
  });
  const seeds = (values.seeds ?? '1,2,3,4,5').split(',').map(Number);
  const backend = await loadBackend(values.backend);
  console.log(`backend: ${backend.name}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const which = positionals.length ? positionals : ['ppo', 'a2c', 'reinforce', 'grpo', 'dqn', 'sac', 'td3', 'q'];
  if (which.includes('all')) all(seeds, backend.tf, values.envs ? values.envs.split(',') : []);
  const rows: Row[] = [];
  for (const algorithm of ['ppo', 'a2c', 'reinforce', 'grpo', 'dqn']) if (which.includes(algorithm)) rows.push(cartpole(algorithm, seeds, backend.tf));
  if (rows.length > 1) printTable(rows);
  if (which.includes('sac')) pendulum('sac', seeds, backend.tf);
  if (which.includes('td3')) pendulum('td3', seeds, backend.tf);
  if (which.includes('q')) tabular(seeds, backend.tf);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
