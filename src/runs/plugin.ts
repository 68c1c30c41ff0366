/**
 * The runs room joins the server: it opens the run records under the data
 * directory, records every training job of the training room (attached once
 * every room is loaded, before the jobs a previous shutdown left queued are
 * resubmitted), and serves `GET /runs`, `GET /runs/{id}` and
 * `GET /runs/{id}/metrics.csv`. It is registered before the training room, so
 * at shutdown its `onClose` runs after the jobs have ended and writes their
 * end lines before the files close.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ServerState } from '../api/context';
import { DataQuota } from '../models/quota';
import { trainingServices } from '../train/plugin';
import { RunRecorder } from './recorder';
import { runRoutes } from './routes';
import { RunStore } from './store';

/** What the runs room puts in `state.services`. */
export interface RunServices {
  store: RunStore;
}

/** The services, or undefined when the server runs without the runs room. */
export function runServices(state: ServerState): RunServices | undefined {
  return state.services.get('runs') as RunServices | undefined;
}

async function runs(app: FastifyInstance): Promise<void> {
  const state = app.palestra;
  // Run records share the data directory's quota with the models (--data-quota).
  const store = new RunStore(state.options.dataDir, state.logger, new DataQuota(state.options.dataDir, state.options.dataDirQuotaBytes));
  state.services.set('runs', { store } satisfies RunServices);
  let recorder: RunRecorder | null = null;
  app.addHook('onReady', async () => {
    const training = trainingServices(state);
    if (training) recorder = new RunRecorder(store, training.jobs, { logger: state.logger, tensorboardDir: state.options.tensorboardDir || undefined });
  });
  app.addHook('onClose', async () => {
    await recorder?.close();
  });
  await app.register(runRoutes(store));
}

/** The runs plugin for `start()`; register it before the training plugin. */
export function runsPlugin() {
  return fp(runs, { name: 'palestra-runs', fastify: '5.x' });
}
