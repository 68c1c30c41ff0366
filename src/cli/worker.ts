/** `palestra worker --queue URL`: runs jobs from a cluster's Redis-backed queue until Ctrl-C. */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { DEFAULTS } from '../server/server';
import { VERSION } from '../version';
import { fail, integer, parseCommand } from './args';
import { chooseLogFormat, cliLogger, LOG_FORMATS, type LogFormat } from './logging';

export const WORKER_USAGE = `Usage: palestra worker --queue redis://HOST:PORT [options]

Takes training and evaluation jobs from the queue that Palestra servers started with the same
--queue put them on, and runs them (each in a worker thread), saving models and run records into
--data-dir, which must be the directory every server of the cluster is given (a shared mount).

Options:
  --queue URL             the Redis server holding the queue (redis://[user:password@]HOST:PORT[/DB])
  --concurrency N         jobs run at once (default ${Math.max(1, availableParallelism() - 1)}: one per core but one)
  --data-dir DIR          the shared data directory (default ${DEFAULTS.dataDir})
  --job-retries N         times a job whose worker died is put back on the queue before it fails;
                          give every worker the same value (default 0)
  --lock-seconds S        a job's lock lasts S seconds unrenewed: a dead worker's jobs are found
                          stalled after about S to 2×S seconds (default 30)
  --backend NAME          numerics backend: auto, tfjs-node, wasm or cpu (default auto)
  --env-module PATH       load a module that registers environments (repeatable)
  --checkpoint-seconds N  save a running job's model every N seconds (default ${DEFAULTS.checkpointSeconds})
  --data-quota BYTES      bound the data directory's size (default: none)
  --shutdown-grace S      on SIGTERM/SIGINT, seconds running jobs get to stop and save (default ${DEFAULTS.shutdownGraceMs / 1000})
  --log-level LEVEL       fatal, error, warn, info, debug, trace or silent (default info)
  --log-format FORMAT     auto, pretty or json (default auto)
  -h, --help              show this help`;

/** Runs the worker command with the given arguments. */
export async function workerCommand(args: string[]): Promise<void> {
  const { values } = parseCommand('palestra worker', args, {
    queue: { type: 'string' },
    concurrency: { type: 'string' },
    'data-dir': { type: 'string' },
    'job-retries': { type: 'string' },
    'lock-seconds': { type: 'string' },
    backend: { type: 'string' },
    'env-module': { type: 'string', multiple: true },
    'checkpoint-seconds': { type: 'string' },
    'data-quota': { type: 'string' },
    'shutdown-grace': { type: 'string' },
    'log-level': { type: 'string' },
    'log-format': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${WORKER_USAGE}\n`);
    return;
  }
  if (values.queue === undefined) fail('palestra worker needs --queue redis://HOST:PORT, the queue the servers were started with');
  const format = (values['log-format'] ?? 'auto') as LogFormat;
  if (!LOG_FORMATS.includes(format)) fail(`--log-format must be one of ${LOG_FORMATS.join(', ')}; got ${format}`);
  const logger = cliLogger(values['log-level'] ?? 'info', chooseLogFormat(format, process.stdout.isTTY === true));
  const lockSeconds = integer('lock-seconds', values['lock-seconds'], 1);
  const grace = integer('shutdown-grace', values['shutdown-grace'], 0);
  try {
    const { loadEnvModules } = await import('../envs/env_modules');
    const envModules = (values['env-module'] ?? []).map((m) => resolve(m));
    await import('../envs');
    loadEnvModules(envModules);
    const { redisOptions } = await import('../cluster/connection');
    redisOptions(values.queue);
    const { startClusterWorker } = await import('../cluster/worker');
    const worker = await startClusterWorker({
      url: values.queue,
      dataDir: resolve(values['data-dir'] ?? DEFAULTS.dataDir),
      concurrency: integer('concurrency', values.concurrency, 1) ?? Math.max(1, availableParallelism() - 1),
      retries: integer('job-retries', values['job-retries'], 0) ?? 0,
      logger,
      backend: values.backend,
      envModules,
      checkpointSeconds: integer('checkpoint-seconds', values['checkpoint-seconds'], 0) ?? DEFAULTS.checkpointSeconds,
      dataDirQuotaBytes: integer('data-quota', values['data-quota'], 0),
      lockMs: lockSeconds === undefined ? undefined : lockSeconds * 1000,
      shutdownGraceMs: grace === undefined ? undefined : grace * 1000,
    });
    process.stdout.write(`Palestra ${VERSION} worker taking jobs from ${values.queue.replace(/\/\/[^@/]*@/, '//')}\n`);
    let stopping = false;
    const shutdown = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(1);
      stopping = true;
      process.stderr.write(`${signal}: worker stopping (running jobs save; send it again to quit at once)\n`);
      worker.close().then(() => process.exit(0));
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  } catch (err) {
    fail((err as Error).message ?? String(err));
  }
}
