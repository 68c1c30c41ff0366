/**
 * The job manager's `stop`: it answers when the job's loop has ended, with the
 * job `saving`; the save follows, and `done` (the job's final state) comes
 * once the model is written. A store whose writes wait for the test to let
 * them through makes every ordering here certain, whatever the machine's speed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { registry } from '../../../src/envs';
import { ModelMeta, ModelStore } from '../../../src/models/store';
import { loadBackend } from '../../../src/train/core/backend';
import { Job, JobDoneEvent, JobManager } from '../../../src/train/jobs/manager';
import { planTraining, TrainRequest } from '../../../src/train/jobs/runner';

/** A model store whose saves wait until `release()`; it records what was asked and when each save finished. */
class GatedStore extends ModelStore {
  private gate: Promise<void>;
  private open!: () => void;
  readonly saves: { stop_reason: string; timesteps: number; finished: boolean }[] = [];

  constructor() {
    super(mkdtempSync(join(tmpdir(), 'palestra-gated-')));
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  /** Lets every held and later save through. */
  release(): void {
    this.open();
  }

  override async save(meta: ModelMeta, params: Float32Array, overwrite = false): Promise<void> {
    const entry = { stop_reason: meta.stop_reason, timesteps: meta.timesteps, finished: false };
    this.saves.push(entry);
    await this.gate;
    await super.save(meta, params, overwrite);
    entry.finished = true;
  }
}

let backend: string;
let store: GatedStore;
let manager: JobManager;
let events: { name: string; job: string; status?: string }[];

beforeAll(async () => {
  backend = (await loadBackend()).name;
});

beforeEach(() => {
  store = new GatedStore();
  manager = new JobManager({ store, logger: pino({ level: 'silent' }), backend, maxConcurrent: 2, progressIntervalMs: 20 });
  events = [];
  manager.on('done', (e: JobDoneEvent) => events.push({ name: 'done', job: e.job.id, status: e.result.status }));
  manager.on('error', (e) => events.push({ name: 'error', job: e.job.id }));
});

afterEach(async () => {
  store.release();
  await manager.close(5_000);
});

function submit(req: TrainRequest): Promise<Job> {
  return manager.submitTrain(planTraining(registry, req));
}

/** Resolves at the job's first progress report (its loop is then running). */
function firstProgress(job: Job): Promise<void> {
  return new Promise((resolve) => {
    const on = (e: { job: Job }) => {
      if (e.job !== job) return;
      manager.off('progress', on);
      resolve();
    };
    manager.on('progress', on);
  });
}

/** Resolves once `predicate` holds, polling; rejects after `timeoutMs`. */
async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('stop answers with the job saving while its model is still being written; done follows the save, and the step count does not move', async () => {
  const job = await submit({ env_id: 'CartPole-v1', algorithm: 'ppo', total_timesteps: 10_000_000, seed: 3, hyperparameters: { eval_freq: 0 } });
  await firstProgress(job);
  const answered = await manager.stop(job.id);

  // The loop has ended and its policy is in hand, but nothing is on disk yet: the save is held.
  expect(answered.status).toBe('saving');
  expect(store.saves).toEqual([{ stop_reason: 'stopped', timesteps: expect.any(Number), finished: false }]);
  expect(events).toEqual([]);
  expect(await store.exists(job.model)).toBe(false);
  const steps = (manager.info(job).progress as { timesteps: number }).timesteps;
  expect(steps).toBe(store.saves[0].timesteps);
  expect(steps).toBeGreaterThan(0);
  // Asked again meanwhile, stop answers the same at once.
  expect((await manager.stop(job.id)).status).toBe('saving');
  await new Promise((r) => setTimeout(r, 200));
  expect((manager.info(job).progress as { timesteps: number }).timesteps).toBe(steps);

  store.release();
  const done = await job.done;
  expect(done.status).toBe('stopped');
  expect(store.saves[0].finished).toBe(true);
  expect(events).toEqual([{ name: 'done', job: job.id, status: 'stopped' }]);
  expect(manager.info(job).result).toMatchObject({ status: 'stopped', stop_reason: 'stopped', timesteps: steps, model: job.model });
  const { meta, params } = await store.load(job.model);
  expect(meta).toMatchObject({ stop_reason: 'stopped', timesteps: steps });
  expect(params.length).toBeGreaterThan(0);
}, 60_000);

test('a stop that meets a job saving after its run ended by itself answers at once; the job ends completed', async () => {
  const job = await submit({ env_id: 'FrozenLake-v1', algorithm: 'q_learning', total_timesteps: 500, seed: 1 });
  await until(() => job.status === 'saving', 30_000, 'the end of the run');
  const answered = await manager.stop(job.id);
  expect(answered.status).toBe('saving');
  expect(store.saves).toEqual([{ stop_reason: 'total_timesteps', timesteps: 500, finished: false }]);

  store.release();
  expect((await job.done).status).toBe('completed');
  expect(events).toEqual([{ name: 'done', job: job.id, status: 'completed' }]);
  expect((await store.load(job.model)).meta).toMatchObject({ stop_reason: 'total_timesteps', timesteps: 500 });
}, 60_000);

test('a shutdown whose grace runs out while a job is saving lets the save finish instead of failing the job', async () => {
  const job = await submit({ env_id: 'CartPole-v1', algorithm: 'ppo', total_timesteps: 10_000_000, seed: 4, hyperparameters: { eval_freq: 0 } });
  await firstProgress(job);
  expect((await manager.stop(job.id)).status).toBe('saving');

  let closed = false;
  const closing = manager.close(1).then(() => (closed = true));
  await new Promise((r) => setTimeout(r, 100));
  // The grace of 1 ms is long gone, yet the job is neither failed nor cut: it waits for its save.
  expect(closed).toBe(false);
  expect(job.status).toBe('saving');

  store.release();
  await closing;
  expect(job.status).toBe('stopped');
  expect(events).toEqual([{ name: 'done', job: job.id, status: 'stopped' }]);
  expect((await store.load(job.model)).meta.stop_reason).toBe('stopped');
}, 60_000);

test('a shutdown stops a running job and waits for its save: the loop ends, then the model is written, then done', async () => {
  const job = await submit({ env_id: 'CartPole-v1', algorithm: 'dqn', total_timesteps: 10_000_000, seed: 5, hyperparameters: { learning_starts: 100, eval_freq: 0 } });
  await firstProgress(job);
  const closing = manager.close(30_000);
  await until(() => job.status === 'saving', 30_000, 'the end of the loop');
  expect(events).toEqual([]);
  store.release();
  await closing;
  expect(job.status).toBe('stopped');
  expect(events).toEqual([{ name: 'done', job: job.id, status: 'stopped' }]);
  expect(store.saves).toEqual([{ stop_reason: 'stopped', timesteps: expect.any(Number), finished: true }]);
}, 60_000);
