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
 * - Q-learning: FrozenLake-v1 (slippery) greedy success rate, Taxi-v3 mean
 *   return and CliffWalking-v1 return, each over 1000 greedy episodes.
 *
 * - LunarLander-v3 (`lunar`, not in the default set: minutes per seed): its default algorithm and
 *   budget, early stop at 200 confirmed over 100 episodes, with wall-clock and CPU seconds per seed;
 *   `--save-lunar DATA_DIR` saves the first seed that reached 200 as a model there (the page test's lander).
 *
 * - An environment id (e.g. Acrobot-v1, MountainCar-v0): its default algorithm with its default row
 *   and budget, early stop at its reward_threshold; per seed steps, wall-clock and CPU seconds to the
 *   target and an independent 100-episode check (`classic`). `--algorithm`, `--hp '{json}'`,
 *   `--budget` and `--target` override the defaults for tuning; `--verbose` prints each evaluation.
 *
 * Training runs in this process on the backend chosen as the server would.
 *
 *   node -r @swc-node/register bench/train.ts [ppo] [a2c] [reinforce] [grpo] [dqn] [sac] [td3] [q] [lunar] [<env id>...] [--seeds 1,2,3,4,5] [--backend wasm] [--save-lunar DATA_DIR]
 */
import { parseArgs } from 'node:util';
import { registry } from '../src/envs';
import { loadBackend, Tf } from '../src/train/core/backend';
import { evaluatePolicy, summarise } from '../src/train/core/evaluation';
import { Policy } from '../src/train/core/policy';
import { Rng } from '../src/train/core/random';
import type { TrainProgress } from '../src/train/core/trainer';
import { TrainPlan, planEvaluation, planTraining, runEvaluation, runTraining } from '../src/train/jobs/runner';
import { MODEL_FORMAT, ModelMeta, ModelStore } from '../src/models/store';
import { VERSION } from '../src/version';

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

/** Like `check`, in the wrappers the policy was saved with (their statistics frozen), through the evaluation job's own code. */
function checkSaved(envId: string, result: ReturnType<typeof runTraining>, episodes: number, tf: Tf) {
  const plan = planEvaluation(
    registry,
    { name: 'bench', env_id: envId, env_kwargs: {}, policy: result.policy.spec, wrappers: result.policy.wrappers },
    result.policy.params,
    { episodes, seed: 1_000_000, deterministic: true },
  );
  return summarise(runEvaluation(registry, plan, tf));
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

/**
 * An environment's DEFAULT algorithm with its default hyperparameters and budget (defaults.ts), early
 * stopping at `target` (the environment's own reward_threshold unless given): per seed, whether the
 * periodic evaluation reached it (confirmed over 100 deterministic episodes), at how many steps, in how
 * many wall-clock and CPU seconds (user + system, this process), then an independent 100-episode check.
 * `hp` and `algorithm` override the defaults, for tuning.
 */
export function classic(envId: string, seeds: number[], tf: Tf, opts: { target?: number; algorithm?: string; hp?: Record<string, unknown>; budget?: number; verbose?: boolean } = {}) {
  const probe = planTraining(registry, { env_id: envId, algorithm: opts.algorithm, hyperparameters: opts.hp, total_timesteps: opts.budget });
  const target = opts.target ?? probe.reward_threshold;
  if (target === null) throw new Error(`${envId} has no reward_threshold: give a target`);
  const hp = probe.hyperparameters as unknown as Record<string, unknown>;
  console.log(
    `\n${probe.algorithm.toUpperCase()} on ${envId}, defaults${opts.hp ? ` + ${JSON.stringify(opts.hp)}` : ''}, early stop at ${target} ` +
      `(evaluations every ${hp.eval_freq} steps on ${hp.eval_episodes} episodes, confirmed on 100), budget ${probe.total_timesteps} steps` +
      (probe.wrappers?.length ? `, wrappers ${probe.wrappers.map((w) => w.name).join(', ')}` : ''),
  );
  const rows: { seed: number; reached: boolean; steps: number; seconds: number; cpu: number; check: number }[] = [];
  for (const seed of seeds) {
    const plan = planTraining(registry, { env_id: envId, algorithm: opts.algorithm, hyperparameters: opts.hp, total_timesteps: opts.budget, seed, early_stop: true });
    plan.reward_threshold = target;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let shown = -1;
    const onProgress = (p: TrainProgress) => {
      if (!p.evaluation || p.evaluation.timesteps === shown) return;
      shown = p.evaluation.timesteps;
      console.log(`    evaluation at ${shown} steps: ${p.evaluation.mean_return.toFixed(1)} (training mean ${p.mean_return_100?.toFixed(1)}, ${p.elapsed_s.toFixed(0)} s)`);
    };
    const r = runTraining(registry, plan, tf, opts.verbose ? { onProgress, progress_interval_ms: 0 } : {});
    const seconds = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu0);
    const cpu = (used.user + used.system) / 1e6;
    const reached = r.stop_reason === 'reward_threshold';
    const after = checkSaved(envId, r, 100, tf);
    rows.push({ seed, reached, steps: r.progress.timesteps, seconds, cpu, check: after.mean_return });
    console.log(
      `  seed ${seed}: ${reached ? 'reached' : 'did NOT reach'} ${target} at ${r.progress.timesteps} steps in ${seconds.toFixed(1)} s, ` +
        `${cpu.toFixed(1)} CPU s; independent 100-episode eval: ${after.mean_return.toFixed(1)} ± ${after.std_return.toFixed(1)}`,
    );
  }
  const ok = rows.filter((r) => r.reached);
  const med = ok.length
    ? `${median(ok.map((r) => r.steps))} steps, ${median(ok.map((r) => r.seconds)).toFixed(1)} s, ${median(ok.map((r) => r.cpu)).toFixed(1)} CPU s`
    : '–';
  console.log(`  => ${envId} ${probe.algorithm}: reached ${ok.length}/${seeds.length}; median to target (seeds that reached it) ${med}`);
  return rows;
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

/** Runs the benchmarks named on the command line (ppo, a2c, reinforce, grpo, dqn, sac, td3, q, lunar), or all but lunar. */
export async function main(argv = process.argv.slice(2)): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      seeds: { type: 'string' },
      backend: { type: 'string' },
      'save-lunar': { type: 'string' },
      hp: { type: 'string' },
      algorithm: { type: 'string' },
      budget: { type: 'string' },
      target: { type: 'string' },
      verbose: { type: 'boolean' },
    },
  });
  const seeds = (values.seeds ?? '1,2,3,4,5').split(',').map(Number);
  const backend = await loadBackend(values.backend);
  console.log(`backend: ${backend.name}`);
  const which = positionals.length ? positionals : ['ppo', 'a2c', 'reinforce', 'grpo', 'dqn', 'sac', 'td3', 'q'];
  for (const algorithm of ['ppo', 'a2c', 'reinforce', 'grpo', 'dqn']) if (which.includes(algorithm)) cartpole(algorithm, seeds, backend.tf);
  if (which.includes('sac')) pendulum('sac', seeds, backend.tf);
  if (which.includes('td3')) pendulum('td3', seeds, backend.tf);
  if (which.includes('q')) tabular(seeds, backend.tf);
  if (which.includes('lunar')) await lunarLander(seeds, backend.tf, values['save-lunar']);
  // Environment ids: their default algorithm with its defaults (--algorithm, --hp '{json}', --budget, --target override them).
  const tuning = {
    algorithm: values.algorithm,
    hp: values.hp ? (JSON.parse(values.hp) as Record<string, unknown>) : undefined,
    budget: values.budget ? Number(values.budget) : undefined,
    target: values.target ? Number(values.target) : undefined,
    verbose: values.verbose,
  };
  for (const envId of which.filter((w) => registry.has(w))) classic(envId, seeds, backend.tf, tuning);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
