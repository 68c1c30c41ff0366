/** The job manager `palestra train` and `palestra evaluate` run their one job on, without a server. */
import { resolve } from 'node:path';
import pino from 'pino';
import { loadEnvModules } from '../envs/env_modules';
import { ModelStore } from '../models/store';
import { DEFAULTS } from '../server/server';
import { loadBackend } from '../train/core/backend';
import { Job, JobManager } from '../train/jobs/manager';
import { fail } from './args';

/** A job manager on the given data directory and backend, with the user's environment modules loaded. */
export async function localJobs(dataDir: string | undefined, backendOption: string | undefined, envModules: string[] = []): Promise<JobManager> {
  const modules = envModules.map((m) => resolve(m));
  loadEnvModules(modules);
  const backend = await loadBackend(backendOption);
  const store = new ModelStore(dataDir ?? DEFAULTS.dataDir);
  await store.init();
  return new JobManager({ store, logger: pino({ level: 'silent' }), backend: backend.name, maxConcurrent: 1, progressIntervalMs: 200, envModules: modules });
}

/** Exits with the job's error in one line. */
export function failedJob(job: Job): never {
  fail(`${job.kind === 'train' ? 'training' : 'evaluation'} failed: ${job.error?.message ?? 'unknown error'}`);
}
