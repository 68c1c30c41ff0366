/**
 * The training room joins the server: it chooses the numerics backend at
 * start-up, opens the model store (removing temporary files of dead
 * processes), resubmits the jobs the last shutdown left queued once the port
 * is bound, and runs the job manager until the server closes (running jobs get
 * `shutdownGraceMs` to stop and save what they have learned).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ServerState } from '../api/context';
import { ModelCache } from '../models/cache';
import { ModelStore } from '../models/store';
import { loadBackend } from './core/backend';
import { JobManager } from './jobs/manager';
import type { JobService } from './jobs/service';

/** What the training room puts in `state.services`. */
export interface TrainingServices {
  jobs: JobService;
  store: ModelStore;
  cache: ModelCache;
}

/** The services, or undefined when the server runs without the training room. */
export function trainingServices(state: ServerState): TrainingServices | undefined {
  return state.services.get('training') as TrainingServices | undefined;
}

async function training(app: FastifyInstance): Promise<void> {
  const state = app.palestra;
  const backend = await loadBackend(state.options.backend);
  state.logger.info({ backend: backend.name, skipped: backend.skipped }, `numerics backend: ${backend.name}`);
  state.services.set('backend', { name: backend.name });
  const store = new ModelStore(state.options.dataDir, state.options.dataDirQuotaBytes);
  const removed = await store.init();
  if (removed.length > 0) state.logger.info({ files: removed.length }, 'temporary files of interrupted saves removed');
  const queue = state.options.queue;
  // With a queue, jobs run on `palestra worker` processes; its client is loaded only then.
  const jobs: JobService = queue
    ? await (await import('../cluster/cluster_jobs')).ClusterJobs.open({ url: queue.url, store, logger: state.logger, backend: backend.name })
    : new JobManager({
        store,
        logger: state.logger,
        backend: backend.name,
        maxConcurrent: state.options.maxConcurrentJobs,
        envModules: state.options.envModules,
        checkpointSeconds: state.options.checkpointSeconds,
      });
  if (queue) state.logger.info({ queue: queue.url.replace(/\/\/[^@/]*@/, '//') }, 'jobs run on the cluster queue');
  // Only once the port is ours: a start that fails to listen must leave the queue as it found it.
  state.onListening.push(async () => void (await jobs.resumeQueue()));
  state.services.set('training', { jobs, store, cache: new ModelCache(store, state.registry) } satisfies TrainingServices);
  const capabilities = (state.services.get('capabilities') as string[] | undefined) ?? [];
  state.services.set('capabilities', [...capabilities, 'training']);
  // Running jobs get shutdownGraceMs to stop and save what they have learned; queued ones are kept for the next start.
  app.addHook('onClose', async () => {
    await jobs.close(state.options.shutdownGraceMs);
  });
}

/** The training plugin for `start()`. */
export function trainingPlugin() {
  return fp(training, { name: 'palestra-training', fastify: '5.x' });
}
