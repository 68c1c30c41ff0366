/**
 * The body of a job's worker thread: loads the backend the server chose,
 * builds its environment registry as the server did, runs one training or
 * evaluation, and reports back by message. `stop` is a flag in shared
 * memory, so the busy loop sees it without yielding.
 */
import { parentPort, TransferListItem, workerData } from 'node:worker_threads';
import { registry } from '../../envs';
import { loadEnvModules } from '../../envs/env_modules';
import type { PortableSpec } from '../../envs/registration';
import { PalestraError, asPalestraError } from '../../errors';
import { loadBackend } from '../core/backend';
import { EvaluationPlan, TrainPlan, runEvaluation, runTraining } from './runner';
import type { WorkerMessage } from './worker_host';

/** What the job manager hands a worker. */
export type WorkerInput = (
  | { kind: 'train'; plan: TrainPlan; progress_interval_ms: number; checkpoint_interval_ms: number }
  | { kind: 'evaluate'; plan: EvaluationPlan; progress_interval_ms: number }
) & { backend: string; stop: SharedArrayBuffer; env_modules: string[] };

function post(message: WorkerMessage, transfer: TransferListItem[] = []): void {
  parentPort!.postMessage(message, transfer);
}

/**
 * The weights' buffer, to be moved to the main thread rather than copied: the
 * copy of a network of tens of MB costs the end of a `stop` up to a second.
 * Only a buffer the array owns whole, which the worker no longer needs.
 */
function movable(params: Float32Array): TransferListItem[] {
  const whole = params.byteOffset === 0 && params.byteLength === params.buffer.byteLength && params.buffer instanceof ArrayBuffer;
  return whole ? [params.buffer as ArrayBuffer] : [];
}

/**
 * The server's registry is the built-ins plus its env modules plus whatever
 * `start({ registry })` holds; a worker loads the same modules and registers
 * the job's own spec when it came as data (a module-path entry point).
 */
function buildRegistry(envId: string, envModules: string[], spec: PortableSpec | null): typeof registry {
  loadEnvModules(envModules);
  if (spec) {
    const { id, entry_point, kwargs_schema, ...options } = spec;
    registry.register(id, entry_point, { ...options, kwargs_schema: kwargs_schema ?? undefined });
  }
  if (!registry.has(envId)) {
    throw new PalestraError(
      'not_supported',
      `${envId} cannot be built in the training worker: register it in a module given to start({ envModules }) or --env-module, ` +
        'or with a module-path entry point ("/path/to/module.js:ExportName"), which workers load too',
      { env_id: envId },
    );
  }
  return registry;
}

async function main(input: WorkerInput): Promise<void> {
  const flag = new Int32Array(input.stop);
  const shouldStop = () => Atomics.load(flag, 0) !== 0;
  const backend = await loadBackend(input.backend);
  post({ type: 'ready', backend: backend.name });
  const envs = buildRegistry(input.plan.env_id, input.env_modules, input.plan.env_spec);
  const hooks = { shouldStop, progress_interval_ms: input.progress_interval_ms };
  if (input.kind === 'train') {
    const result = runTraining(envs, input.plan, backend.tf, {
      ...hooks,
      onProgress: (progress) => post({ type: 'progress', progress }),
      checkpoint_interval_ms: input.checkpoint_interval_ms,
      // A checkpoint's weights are a copy made for it.
      onCheckpoint: (checkpoint, kind) => post({ type: 'checkpoint', checkpoint, kind }, movable(checkpoint.policy.params)),
    });
    post({ type: 'done', kind: 'train', result }, movable(result.policy.params));
  } else {
    const run = runEvaluation(envs, input.plan, backend.tf, { ...hooks, onEpisode: (episode) => post({ type: 'episode', episode }) });
    post({ type: 'done', kind: 'evaluate', result: run });
  }
}

if (parentPort) {
  main(workerData as WorkerInput).catch((err) => {
    // The one place a worker's error is serialised; the host revives it with PalestraError.fromJSON.
    post({ type: 'error', error: asPalestraError(err).toJSON() });
  });
}
