/**
 * The body of a job's worker thread: loads the backend the server chose,
 * runs one training or evaluation, and reports back by message. `stop` is a
 * flag in shared memory, so the busy loop sees it without yielding.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { registry } from '../../envs';
import { loadEnvModules } from '../../envs/env_modules';
import { asPalestraError } from '../../errors';
import { loadBackend } from '../core/backend';
import { EvaluationPlan, TrainPlan, runEvaluation, runTraining } from './runner';

/** What the job manager hands a worker. */
export type WorkerInput = (
  | { kind: 'train'; plan: TrainPlan; progress_interval_ms: number }
  | { kind: 'evaluate'; plan: EvaluationPlan }
) & { backend: string; stop: SharedArrayBuffer; env_modules: string[] };

/** What a worker says, in order: ready, then progress/episode messages, then done or error. */
export type WorkerMessage =
  | { type: 'ready'; backend: string }
  | { type: 'progress'; progress: unknown }
  | { type: 'episode'; episode: number; return: number; length: number }
  | { type: 'done'; result: unknown }
  | { type: 'error'; error: { name: string; message: string; data: Record<string, unknown> } };

function post(message: WorkerMessage): void {
  parentPort!.postMessage(message);
}

async function main(input: WorkerInput): Promise<void> {
  const flag = new Int32Array(input.stop);
  const shouldStop = () => Atomics.load(flag, 0) !== 0;
  const backend = await loadBackend(input.backend);
  post({ type: 'ready', backend: backend.name });
  loadEnvModules(input.env_modules);
  if (!registry.has(input.plan.env_id)) {
    throw new Error(
      `${input.plan.env_id} is not registered in the training worker: register it in a module given to start({ envModules }) or --env-module, which workers load too`,
    );
  }
  if (input.kind === 'train') {
    const result = runTraining(registry, input.plan, backend.tf, {
      shouldStop,
      onProgress: (progress) => post({ type: 'progress', progress }),
      progress_interval_ms: input.progress_interval_ms,
    });
    post({ type: 'done', result });
  } else {
    const run = runEvaluation(registry, input.plan, backend.tf, {
      shouldStop,
      onEpisode: (episode, ret, length) => post({ type: 'episode', episode, return: ret, length }),
    });
    post({ type: 'done', result: run });
  }
}

if (parentPort) {
  main(workerData as WorkerInput).catch((err) => {
    const error = asPalestraError(err);
    const message = error.errorName === 'internal_error' && err instanceof Error ? err.message : error.message;
    post({ type: 'error', error: { name: error.errorName, message, data: error.data } });
  });
}
