/** `palestra evaluate MODEL`: runs a saved model on fresh seeded episodes and prints its returns. */
import { registry } from '../envs';
import { watch } from '../api/train';
import { DEFAULTS } from '../server/server';
import type { EvaluationResult } from '../train/jobs/manager';
import { planEvaluation } from '../train/jobs/runner';
import { fail, integer, parseCommand } from './args';
import { fmt } from './format';
import { failedJob, localJobs } from './local_jobs';
import { RunRecorder } from '../runs/recorder';
import { RunStore } from '../runs/store';
import { ProgressBar } from './progress_bar';

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

/** `palestra evaluate MODEL [options]`. */
export async function evaluateCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommand(
    'palestra evaluate',
    args,
    {
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
    true,
  );
  if (values.help) {
    process.stdout.write(`${EVALUATE_USAGE}\n`);
    return;
  }
  if (positionals.length !== 1) fail(`evaluate takes one model name; palestra evaluate --help lists the options`);
  try {
    const episodes = integer('episodes', values.episodes, 1);
    const seed = integer('seed', values.seed, 0);
    const jobs = await localJobs(values['data-dir'], values.backend, values['env-module']);
    // The evaluation leaves a run record in the data directory, as on a server.
    const recorder = new RunRecorder(new RunStore(jobs.store.dataDir, jobs.opts.logger, jobs.store.quota), jobs, { logger: jobs.opts.logger });
    const { meta, params } = await jobs.store.load(positionals[0]);
    const plan = planEvaluation(registry, meta, params, { env_id: values.env, episodes, deterministic: !values.stochastic, seed });
    const progress = new ProgressBar(process.stderr);
    const job = jobs.submitEvaluate(meta.name, meta.algorithm, plan, meta.session);
    if (!values.json) watch(jobs, job, progress);
    const done = await job.done;
    await recorder.close();
    progress.end();
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
