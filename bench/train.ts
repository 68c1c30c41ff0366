/**
 * How well and how fast the trainers learn, with their default settings:
 *
 * - PPO, A2C, REINFORCE, GRPO and DQN on CartPole-v1: per seed, steps and wall-clock seconds until
 *   a periodic deterministic evaluation reaches 475, confirmed over 100
 *   episodes (early stopping), within 100k steps; then an independent
 *   100-episode deterministic evaluation on other seeds.
 * - SAC and TD3 on Pendulum-v1 (which has no reward_threshold of its own):
 *   steps and seconds until a periodic evaluation (every 2,000 steps, 10
 *   deterministic episodes, as the SB3 comparison does) reaches −200,
 *   confirmed over 100 episodes, within 20k steps; then an independent
 *   100-episode check.
 * - `continuous` (or an environment's id): Pendulum-v1 (−200) and
 *   MountainCarContinuous-v0 (90) with their default algorithms, the same
 *   protocol (evaluations every 2,000 steps for SAC and TD3, 5,000 for the
 *   others), with CPU seconds beside wall-clock and SB3's figures beside.
 * - Q-learning: FrozenLake-v1 (slippery) greedy success rate, Taxi-v3 mean
 *   return and CliffWalking-v1 return, each over 1000 greedy episodes.
 *
 * Training runs in this process on the backend chosen as the server would.
 *
 *   node -r @swc-node/register bench/train.ts [ppo] [a2c] [reinforce] [grpo] [dqn] [sac] [td3] [q] [continuous] [Pendulum-v1] [MountainCarContinuous-v0] [--seeds 1,2,3,4,5] [--backend wasm]
 */
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

function cartpole(algorithm: string, seeds: number[], tf: Tf): void {
  console.log(`\n${algorithm.toUpperCase()} on CartPole-v1, default hyperparameters, early stop at ${SOLVED} (100 deterministic episodes), budget ${BUDGET} steps`);
  const solvedTimes: number[] = [];
  let solved = 0;
  for (const seed of seeds) {
    const plan = planTraining(registry, { env_id: 'CartPole-v1', algorithm, seed, total_timesteps: BUDGET, early_stop: true });
    const t0 = performance.now();
    const r = runTraining(registry, plan, tf);
    const seconds = (performance.now() - t0) / 1000;
    const ok = r.stop_reason === 'reward_threshold';
    const after = check('CartPole-v1', r, 100, tf);
    if (ok) {
      solved++;
      solvedTimes.push(seconds);
    }
    console.log(
      `  seed ${seed}: ${ok ? 'solved' : 'NOT solved'} at ${r.progress.timesteps} steps in ${seconds.toFixed(1)} s ` +
        `(${(r.progress.timesteps / seconds).toFixed(0)} steps/s incl. evaluations); ` +
        `independent 100-episode eval: ${after.mean_return.toFixed(1)} ± ${after.std_return.toFixed(1)}`,
    );
  }
  const med = solvedTimes.length ? `${median(solvedTimes).toFixed(1)} s` : '–';
  console.log(`  => solved ${solved}/${seeds.length}; median time to threshold (solved seeds) ${med}`);
}

const PENDULUM_TARGET = -200;

function pendulum(algorithm: 'sac' | 'td3', seeds: number[], tf: Tf): void {
  toTarget({ env: 'Pendulum-v1', target: PENDULUM_TARGET, budget: 20_000, algorithm }, seeds, tf);
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

/** CPU seconds (user + system) of this process since `since`. */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

/**
 * Per seed: steps, wall-clock and CPU seconds until a periodic deterministic
 * evaluation on 10 episodes reaches `target` (confirmed over 100 episodes),
 * evaluations included; then an independent 100-episode check. Then the
 * seeds that reached it, and their median steps and seconds.
 */
export function toTarget(c: TargetCase, seeds: number[], tf: Tf): { reached: number; medianSteps: number | null; medianSeconds: number | null; medianCpu: number | null } {
  const probe = planTraining(registry, { env_id: c.env, algorithm: c.algorithm, seed: 0 });
  const algorithm = probe.algorithm;
  const evalFreq = OFF_POLICY.has(algorithm) ? 2_000 : 5_000;
  console.log(
    `\n${algorithm.toUpperCase()}${c.algorithm ? '' : ' (the default)'} on ${c.env}, default hyperparameters, early stop at ${c.target} ` +
      `(evaluations every ${evalFreq} steps on 10 deterministic episodes, confirmed on 100), budget ${c.budget} steps`,
  );
  const steps: number[] = [];
  const seconds: number[] = [];
  const cpus: number[] = [];
  for (const seed of seeds) {
    const plan = planTraining(registry, {
      env_id: c.env,
      algorithm,
      seed,
      total_timesteps: c.budget,
      early_stop: true,
      hyperparameters: { eval_freq: evalFreq, eval_episodes: 10 },
    });
    plan.reward_threshold = c.target;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = runTraining(registry, plan, tf);
    const wall = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(cpu0);
    const ok = r.stop_reason === 'reward_threshold';
    const after = check(c.env, r, 100, tf);
    if (ok) {
      steps.push(r.progress.timesteps);
      seconds.push(wall);
      cpus.push(cpu);
    }
    console.log(
      `  seed ${seed}: ${ok ? 'reached' : 'did NOT reach'} ${c.target} at ${r.progress.timesteps} steps in ${wall.toFixed(1)} s, ${cpu.toFixed(1)} CPU s ` +
        `(${(r.progress.timesteps / cpu).toFixed(0)} steps per CPU s incl. evaluations); ` +
        `independent 100-episode eval: ${after.mean_return.toFixed(1)} ± ${after.std_return.toFixed(1)}`,
    );
  }
  const result = {
    reached: steps.length,
    medianSteps: steps.length ? median(steps) : null,
    medianSeconds: seconds.length ? median(seconds) : null,
    medianCpu: cpus.length ? median(cpus) : null,
  };
  const med = steps.length ? `${result.medianSteps} steps, ${result.medianSeconds!.toFixed(1)} s, ${result.medianCpu!.toFixed(1)} CPU s` : '–';
  console.log(`  => reached ${steps.length}/${seeds.length}; median to target (seeds that reached it) ${med}`);
  if (c.sb3) console.log(`     SB3: ${c.sb3}`);
  return result;
}

/** The SB3 comparison rows of the continuous environments, with this project's default algorithm for each. */
export const CONTINUOUS_CASES: TargetCase[] = [
  { env: 'Pendulum-v1', target: PENDULUM_TARGET, budget: 20_000, sb3: 'SAC, Pendulum-v1 (≥ −200): 4k steps (3/3 seeds), about 65 s median wall-clock' },
  {
    env: 'MountainCarContinuous-v0',
    target: 90,
    budget: 50_000,
    sb3: 'PPO + normalisation + gSDE, MountainCarContinuous-v0 (≥ 90): 20k steps → final mean 91.7, 50 s wall-clock',
  },
];

/** The continuous environments with their default algorithms, against SB3's rows. */
export function continuous(seeds: number[], tf: Tf): void {
  for (const c of CONTINUOUS_CASES) toTarget(c, seeds, tf);
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

/** Runs the benchmarks named on the command line (ppo, a2c, reinforce, grpo, dqn, sac, td3, q, continuous or an environment of it), or all of them. */
export async function main(argv = process.argv.slice(2)): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { seeds: { type: 'string' }, backend: { type: 'string' } },
  });
  const seeds = (values.seeds ?? '1,2,3,4,5').split(',').map(Number);
  const backend = await loadBackend(values.backend);
  console.log(`backend: ${backend.name}`);
  const which = positionals.length ? positionals : ['ppo', 'a2c', 'reinforce', 'grpo', 'dqn', 'sac', 'td3', 'q'];
  for (const algorithm of ['ppo', 'a2c', 'reinforce', 'grpo', 'dqn']) if (which.includes(algorithm)) cartpole(algorithm, seeds, backend.tf);
  if (which.includes('sac')) pendulum('sac', seeds, backend.tf);
  if (which.includes('td3')) pendulum('td3', seeds, backend.tf);
  if (which.includes('continuous')) continuous(seeds, backend.tf);
  for (const c of CONTINUOUS_CASES) if (which.includes(c.env)) toTarget(c, seeds, backend.tf);
  if (which.includes('q')) tabular(seeds, backend.tf);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
