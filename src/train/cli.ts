/**
 * `palestra train ENV_ID` and `palestra evaluate MODEL`: the same jobs the
 * server runs (a worker thread, the same model store), driven from a
 * terminal with a progress bar and a one-line result. Ctrl-C stops a
 * training run and keeps what it has learned.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { fail, integer } from '../cli_args';
import { registry } from '../envs';
import { loadEnvModules } from '../envs/env_modules';
import { PalestraError } from '../errors';
import { ModelStore } from '../models/store';
import { DEFAULTS } from '../server/server';
import { loadBackend } from './core/backend';
import { Subscriber, watch } from '../api/train';
import { EvaluationResult, Job, JobManager, TrainSummary } from './jobs/manager';
import { planEvaluation, planTraining } from './jobs/runner';

const TRAIN_USAGE = `Usage: palestra train ENV_ID [options]

Trains an agent in the terminal and saves it under DATA_DIR/models/.

Options:
  --algo NAME             ppo, dqn or q_learning (default: q_learning for finite observations, else ppo)
  --timesteps N           environment steps (default per environment)
  --seed N                seed of the environments and the learner (default random)
  --hp KEY=VALUE          a hyperparameter, repeatable (e.g. --hp learning_rate=0.001)
  --env-kwarg KEY=VALUE   an environment keyword argument, repeatable (e.g. --env-kwarg is_slippery=false)
  --early-stop            stop once an evaluation reaches the environment's reward threshold
  --name NAME             model name (default <env>-<algo>-<id>)
  --session NAME          tag saved with the model
  --data-dir DIR          where models are saved (default ./${DEFAULTS.dataDir})
  --env-module PATH       a module that registers environments (repeatable)
  --backend NAME          auto, tensorflow, wasm or cpu (default auto)
  -h, --help              show this help`;

const EVALUATE_USAGE = `Usage: palestra evaluate MODEL [options]

Runs a saved model on fresh seeded episodes and prints its returns.

Options:
  --episodes N            episodes to run (default 10)
  --seed N                episode k is reset with seed N + k (default 0)
  --stochastic            sample actions instead of taking the greedy one
  --env ENV_ID            evaluate on another environment with the same spaces
  --data-dir DIR          where models are saved (default ./${DEFAULTS.dataDir})
  --env-module PATH       a module that registers environments (repeatable)
  --backend NAME          auto, tensorflow, wasm or cpu (default auto)
  --json                  print the full result as JSON
  -h, --help              show this help`;



/** `KEY=VALUE` pairs; values are read as JSON when they parse (numbers, booleans), else kept as text. */
function pairs(flag: string, items: string[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of items ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) fail(`--${flag} takes KEY=VALUE, got ${JSON.stringify(item)}`);
    const value = item.slice(eq + 1);
    try {
      out[item.slice(0, eq)] = JSON.parse(value);
    } catch {
      out[item.slice(0, eq)] = value;
    }
  }
  return out;
}

function fmt(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits);
}

function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  if (seconds < 60) return `${seconds.toFixed(0)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}

/** Draws progress on one rewritten line on a terminal, or a line per tenth of the run elsewhere. */
class ProgressBar implements Subscriber {
  readonly open = true;
  private lastTenth = -1;
  private drawn = false;

  constructor(private readonly out: NodeJS.WriteStream) {}

  notify(method: string, p: any): void {
    if (method === 'train.progress') {
      const frac = Math.min(1, p.timesteps / p.total_timesteps);
      const width = 24;
      const filled = Math.round(frac * width);
      const evaluation = p.evaluation ? `  eval ${fmt(p.evaluation.mean_return)}` : '';
      const text =
        `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%  ` +
        `${p.timesteps}/${p.total_timesteps} steps  mean100 ${fmt(p.mean_return_100)}${evaluation}  ` +
        `${fmt(p.steps_per_second, 0)} steps/s  ETA ${duration(p.remaining_s)}`;
      this.line(text, Math.floor(frac * 10));
    } else if (method === 'evaluate.progress') {
      this.line(`episode ${p.episodes_done}/${p.episodes}  return ${fmt(p.return, 2)}  mean ${fmt(p.mean_return, 2)}`, Math.floor((p.episodes_done / p.episodes) * 10));
    }
  }

  private line(text: string, tenth: number): void {
    if (this.out.isTTY) {
      this.out.write(`\r${text.slice(0, (this.out.columns ?? 120) - 1)}\x1b[K`);
      this.drawn = true;
    } else if (tenth > this.lastTenth) {
      this.lastTenth = tenth;
      this.out.write(`${text}\n`);
    }
  }

  /** Ends the rewritten line before the result is printed. */
  end(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}

async function setup(dataDir: string | undefined, backendOption: string | undefined, envModules: string[] = []): Promise<JobManager> {
  const modules = envModules.map((m) => resolve(m));
  loadEnvModules(modules);
  const backend = await loadBackend(backendOption);
  const store = new ModelStore(dataDir ?? DEFAULTS.dataDir);
  await store.init();
  return new JobManager({ store, logger: pino({ level: 'silent' }), backend: backend.name, maxConcurrent: 1, progressIntervalMs: 200, envModules: modules });
}

function failedJob(job: Job): never {
  fail(`${job.kind === 'train' ? 'training' : 'evaluation'} failed: ${job.error?.message ?? 'unknown error'}`);
}

/** `palestra train ENV_ID [options]`. */
export async function trainCommand(args: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        algo: { type: 'string' },
        timesteps: { type: 'string' },
        seed: { type: 'string' },
        hp: { type: 'string', multiple: true },
        'env-kwarg': { type: 'string', multiple: true },
        'early-stop': { type: 'boolean' },
        name: { type: 'string' },
        session: { type: 'string' },
        'data-dir': { type: 'string' },
        'env-module': { type: 'string', multiple: true },
        backend: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    fail(`${(err as Error).message}\n\n${TRAIN_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${TRAIN_USAGE}\n`);
    return;
  }
  if (positionals.length !== 1) fail(`train takes one environment id\n\n${TRAIN_USAGE}`);
  try {
    const jobs = await setup(values['data-dir'], values.backend, values['env-module']);
    const plan = planTraining(registry, {
      env_id: positionals[0],
      algorithm: values.algo,
      total_timesteps: integer('timesteps', values.timesteps, 1),
      seed: integer('seed', values.seed, 0),
      hyperparameters: pairs('hp', values.hp),
      env_kwargs: pairs('env-kwarg', values['env-kwarg']),
      early_stop: values['early-stop'] ?? false,
    });
    const bar = new ProgressBar(process.stderr);
    const job = await jobs.submitTrain(plan, { name: values.name, session: values.session });
    watch(jobs, job, bar);
    process.stderr.write(`Training ${plan.algorithm} on ${plan.env_id} for ${plan.total_timesteps} steps (seed ${plan.seed}, ${jobs.opts.backend} backend); Ctrl-C stops and keeps the policy\n`);
    process.once('SIGINT', () => void jobs.stop(job.id));
    const done = await job.done;
    bar.end();
    if (done.status === 'failed') failedJob(done);
    const s = done.result as TrainSummary;
    const why = s.stop_reason === 'reward_threshold' ? 'reached the reward threshold' : s.stop_reason === 'stopped' ? 'stopped' : 'done';
    const ev = s.evaluation as { mean_return: number; std_return: number; episodes: number } | null;
    const evalText = ev ? `; evaluation: mean return ${fmt(ev.mean_return, 2)} ± ${fmt(ev.std_return, 2)} over ${ev.episodes} episodes` : '';
    process.stdout.write(
      `${why}: model ${s.model} saved in ${jobs.store.dir}: ${s.timesteps} steps in ${duration(s.elapsed_s)} ` +
        `(${fmt(s.steps_per_second, 0)} steps/s), mean return of the last 100 episodes ${fmt(s.mean_return_100, 2)}${evalText}\n`,
    );
  } catch (err) {
    fail(err instanceof PalestraError || err instanceof Error ? err.message : String(err));
  }
}

/** `palestra evaluate MODEL [options]`. */
export async function evaluateCommand(args: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        episodes: { type: 'string' },
        seed: { type: 'string' },
        stochastic: { type: 'boolean' },
        env: { type: 'string' },
        'data-dir': { type: 'string' },
        'env-module': { type: 'string', multiple: true },
        backend: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    fail(`${(err as Error).message}\n\n${EVALUATE_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${EVALUATE_USAGE}\n`);
    return;
  }
  if (positionals.length !== 1) fail(`evaluate takes one model name\n\n${EVALUATE_USAGE}`);
  try {
    const jobs = await setup(values['data-dir'], values.backend, values['env-module']);
    const { meta, params } = await jobs.store.load(positionals[0]);
    const plan = planEvaluation(registry, meta, params, {
      env_id: values.env,
      episodes: integer('episodes', values.episodes, 1),
      deterministic: !values.stochastic,
      seed: integer('seed', values.seed, 0),
    });
    const bar = new ProgressBar(process.stderr);
    const job = jobs.submitEvaluate(meta.name, meta.algorithm, plan, meta.session);
    if (!values.json) watch(jobs, job, bar);
    const done = await job.done;
    bar.end();
    if (done.status === 'failed') failedJob(done);
    const r = done.result as EvaluationResult;
    if (values.json) {
      process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      return;
    }
    process.stdout.write(
      `${r.model} on ${r.env_id}: mean return ${fmt(r.mean_return, 2)} ± ${fmt(r.std_return, 2)} (min ${fmt(r.min_return, 2)}, max ${fmt(r.max_return, 2)}) ` +
        `over ${r.episodes} ${r.deterministic ? 'deterministic' : 'stochastic'} episodes, mean length ${fmt(r.mean_length, 1)}\n`,
    );
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
}
