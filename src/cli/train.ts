/**
 * `palestra train ENV_ID`: the same training job the server runs (a worker
 * thread, the same model store), driven from a terminal with a progress bar
 * and a one-line result. Ctrl-C stops the run and keeps what it has learned.
 */
import { resolve } from 'node:path';
import { registry } from '../envs';
import { loadEnvModules } from '../envs/env_modules';
import { watch } from '../api/train';
import { DEFAULTS } from '../server/server';
import type { TrainSummary } from '../train/jobs/manager';
import { planTraining } from '../train/jobs/runner';
import { fail, integer, pairs, parseCommand } from './args';
import { duration, fmt } from './format';
import { failedJob, localJobs } from './local_jobs';
import { ProgressBar } from './progress_bar';
import { RunRecorder } from '../runs/recorder';
import { RunStore } from '../runs/store';
import { ModelStore } from '../models/store';
import type { WrapperSpec } from '../envs/wrappers/catalogue';

/** `NAME` or `NAME:key=value,key=value` as a wrapper spec (values read as JSON where they parse). */
function wrapperFlag(text: string): WrapperSpec {
  // The name is checked with the kwargs, against the protocol, when the run is planned.
  const colon = text.indexOf(':');
  if (colon < 0) return { name: text as WrapperSpec['name'], kwargs: {} };
  const items = text.slice(colon + 1).split(',').filter(Boolean);
  return { name: text.slice(0, colon) as WrapperSpec['name'], kwargs: pairs('wrapper', items) };
}

const TRAIN_USAGE = `Usage: palestra train ENV_ID [options]

Trains an agent in the terminal and saves it under DATA_DIR/models/.

Options:
  --algo NAME             ppo, a2c, reinforce, grpo, dqn, q_learning, sac or td3 (default: q_learning for finite observations, else ppo)
  --timesteps N           environment steps (default per environment)
  --seed N                seed of the environments and the learner (default random)
  --hp KEY=VALUE          a hyperparameter, repeatable (e.g. --hp learning_rate=0.001)
  --env-kwarg KEY=VALUE   an environment keyword argument, repeatable (e.g. --env-kwarg is_slippery=false)
  --early-stop            stop once an evaluation reaches the environment's reward threshold
  --wrapper NAME[:K=V,...] a Gymnasium wrapper around the environment, repeatable, innermost first
                          (e.g. --wrapper NormalizeObservation --wrapper FrameStackObservation:stack_size=4)
  --init-model NAME       continue a saved model (weights, optimiser state, statistics, step count)
  --checkpoint-freq N     save a numbered checkpoint <name>-<timesteps> every N steps
  --save-best             keep the best periodically evaluated policy as <name>-best
  --name NAME             model name (default <env>-<algo>-<id>)
  --session NAME          tag saved with the model
  --data-dir DIR          where models and run records are saved (default ./${DEFAULTS.dataDir})
  --tensorboard DIR       also write the run's curves as TensorBoard event files under DIR
  --env-module PATH       a module that registers environments (repeatable)
  --backend NAME          auto, tensorflow, wasm or cpu (default auto)
  --print-config          print the run's settings (defaults merged with the flags) as JSON and exit
  -h, --help              show this help`;

/** `palestra train ENV_ID [options]`. */
export async function trainCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommand(
    'palestra train',
    args,
    {
      algo: { type: 'string' },
      timesteps: { type: 'string' },
      seed: { type: 'string' },
      hp: { type: 'string', multiple: true },
      'env-kwarg': { type: 'string', multiple: true },
      'early-stop': { type: 'boolean' },
      wrapper: { type: 'string', multiple: true },
      'init-model': { type: 'string' },
      'checkpoint-freq': { type: 'string' },
      'save-best': { type: 'boolean' },
      name: { type: 'string' },
      session: { type: 'string' },
      'data-dir': { type: 'string' },
      tensorboard: { type: 'string' },
      'env-module': { type: 'string', multiple: true },
      backend: { type: 'string' },
      'print-config': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    process.stdout.write(`${TRAIN_USAGE}\n`);
    return;
  }
  if (positionals.length !== 1) fail(`train takes one environment id; palestra train --help lists the options`);
  try {
    const seed = integer('seed', values.seed, 0);
    const request = {
      env_id: positionals[0],
      algorithm: values.algo,
      total_timesteps: integer('timesteps', values.timesteps, 1),
      seed,
      hyperparameters: pairs('hp', values.hp),
      env_kwargs: pairs('env-kwarg', values['env-kwarg']),
      early_stop: values['early-stop'] ?? false,
      wrappers: values.wrapper?.map(wrapperFlag),
      init_model: values['init-model'],
      checkpoint_freq: integer('checkpoint-freq', values['checkpoint-freq'], 1),
      save_best: values['save-best'],
    };
    const initModel = async (store: ModelStore) => (request.init_model === undefined ? undefined : store.load(request.init_model));
    if (values['print-config']) {
      loadEnvModules((values['env-module'] ?? []).map((m) => resolve(m)));
      const plan = planTraining(registry, request, {}, await initModel(new ModelStore(values['data-dir'] ?? DEFAULTS.dataDir)));
      // A seed left out is drawn afresh for each run, so there is none to print.
      const config = {
        env_id: plan.env_id,
        algorithm: plan.algorithm,
        total_timesteps: plan.total_timesteps,
        seed: seed ?? null,
        early_stop: plan.early_stop,
        env_kwargs: plan.env_kwargs,
        wrappers: plan.wrappers,
        hyperparameters: plan.hyperparameters,
      };
      process.stdout.write(`${JSON.stringify(config, null, 2)}\n`);
      return;
    }
    const jobs = await localJobs(values['data-dir'], values.backend, values['env-module']);
    const plan = planTraining(registry, request, {}, await initModel(jobs.store));
    const recorder = new RunRecorder(new RunStore(jobs.store.dataDir, jobs.opts.logger, jobs.store.quota), jobs, {
      logger: jobs.opts.logger,
      tensorboardDir: values.tensorboard === undefined ? undefined : resolve(values.tensorboard),
    });
    const progress = new ProgressBar(process.stderr);
    const job = await jobs.submitTrain(plan, { name: values.name, session: values.session });
    watch(jobs, job, progress);
    process.stderr.write(`Training ${plan.algorithm} on ${plan.env_id} for ${plan.total_timesteps} steps (seed ${plan.seed}, ${jobs.opts.backend} backend); Ctrl-C stops and keeps the policy\n`);
    process.once('SIGINT', () => {
      // stop answers when the loop has ended; the model is written after, and the result line waits for it.
      void jobs.stop(job.id).then((stopped) => {
        if (stopped.status !== 'saving') return;
        progress.end();
        const steps = (stopped.progress as { timesteps?: number } | null)?.timesteps ?? 0;
        process.stderr.write(`Stopped after ${steps} steps; saving the policy...\n`);
      });
    });
    const done = await job.done;
    await recorder.close();
    progress.end();
    if (done.status === 'failed') failedJob(done);
    const s = done.result as TrainSummary;
    const why = s.stop_reason === 'reward_threshold' ? 'reached the reward threshold' : s.stop_reason === 'stopped' ? 'stopped' : 'done';
    const ev = s.evaluation as { mean_return: number; std_return: number; episodes: number } | null;
    const evalText = ev ? `; evaluation: mean return ${fmt(ev.mean_return, 2)} ± ${fmt(ev.std_return, 2)} over ${ev.episodes} episodes` : '';
    process.stdout.write(
      `${why}: model ${s.model} saved in ${jobs.store.dir}: ${s.timesteps} steps in ${duration(s.elapsed_s)} ` +
        `(${fmt(s.steps_per_second, 0)} steps/s), mean return of the last 100 episodes ${fmt(s.mean_return_100, 2)}${evalText}; ` +
        `run ${job.id} recorded (palestra runs show ${job.id.slice(0, 8)})\n`,
    );
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
}
