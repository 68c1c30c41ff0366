/** `palestra [options]` (or `palestra serve`): runs the server until Ctrl-C. */
import { resolve } from 'node:path';
import { start } from '../index';
import { DEFAULTS, ListenError, MAX_MESSAGE_DEPTH, type PalestraServer } from '../server/server';
import { Rate, RATE_LIMIT_NAMES, describeRate, parseRate } from '../server/security/rate_limit';
import { VERSION } from '../version';
import { fail, integer, parseCommand } from './args';
import { chooseLogFormat, cliLogger, LOG_FORMATS, type LogFormat } from './logging';

export const SERVE_USAGE = `Usage: palestra [options]
       palestra train ENV_ID [options]     train in the terminal (palestra train --help)
       palestra evaluate MODEL [options]   evaluate a saved model (palestra evaluate --help)
       palestra models [options]           list saved models (palestra models --help)
       palestra delete MODEL [options]     delete a saved model (palestra delete --help)
       palestra jobs [options]             list a running server's jobs (palestra jobs --help)
       palestra runs [show RUN] [options]  list recorded training runs, or show one (palestra runs --help)
       palestra worker --queue URL [options]  run jobs from a cluster's queue (palestra worker --help)

Starts the Palestra server (JSON-RPC on ws://HOST:PORT/, Gymie clients on ws://HOST:PORT/gym,
gym-http-api clients on http://HOST:PORT/v1/, the web page on http://HOST:PORT/).

Options:
  --host HOST             address to listen on (default ${DEFAULTS.host})
  --port PORT             port to listen on; 0 picks a free one (default ${DEFAULTS.port})
  --log-level LEVEL       fatal, error, warn, info, debug, trace or silent (default ${DEFAULTS.logLevel})
  --log-format FORMAT     pretty (readable lines), json (one object a line) or auto:
                          pretty on a terminal, json when piped (default auto)
  --data-dir DIR          where trained models and records are saved (default ./${DEFAULTS.dataDir})
  --max-envs N            environments one connection may hold (default ${DEFAULTS.maxEnvsPerConnection});
                          a vector environment counts as one
  --max-vector-envs N     copies one vector environment (make_vec's num_envs) may have (default ${DEFAULTS.maxVectorEnvs})
  --max-message-bytes N   largest message accepted, in bytes (default ${DEFAULTS.maxMessageBytes})
  --max-message-depth N   deepest nesting of lists and objects in a message, 1 to ${MAX_MESSAGE_DEPTH} (default ${DEFAULTS.maxMessageDepth})
  --max-batch N           most requests in one JSON-RPC batch (default ${DEFAULTS.maxBatchLength})
  --max-reply-bytes N     largest reply, a batch's replies together (default ${DEFAULTS.maxReplyBytes})
  --max-buffered-bytes N  unsent reply bytes past which a client's requests wait (default ${DEFAULTS.maxBufferedBytes})
  --slow-client-seconds N close a client (1013) whose replies stay unsent that long (default ${DEFAULTS.slowClientSeconds})
  --rest-idle-seconds N   close a gym-http-api (REST) environment unused for N seconds; 0 never (default ${DEFAULTS.restIdleSeconds})
  --rest-max-envs N       environments the REST API may hold at once (default ${DEFAULTS.restMaxEnvs})
  --allow-shutdown        let POST /v1/shutdown/ stop the server (gym-http-api's test harness uses it)
  --backend NAME          TensorFlow.js backend for training: auto, tensorflow, wasm or cpu (default ${DEFAULTS.backend})
  --max-jobs N            training/evaluation jobs running at once; more wait in a queue (default ${DEFAULTS.maxConcurrentJobs})
  --env-module PATH       a module that registers environments (repeatable); training workers load it too
  --max-model-bytes N     largest model a training job may save; larger networks are refused up front (default ${DEFAULTS.maxModelBytes})
  --data-quota BYTES      quota of the data directory: training and saves that would pass it are refused; 0 none (default ${DEFAULTS.dataDirQuotaBytes})
  --tensorboard DIR       also write every training run's curves as TensorBoard event files under DIR
                          (one folder per run), for tensorboard --logdir DIR
  --checkpoint-seconds N  save a running training job's model every N seconds, so a crash loses at most that; 0 only at the end (default ${DEFAULTS.checkpointSeconds})
  --queue URL             run train and evaluate jobs on the Redis-backed queue at URL
                          (redis://HOST:PORT) that \`palestra worker\` processes take them from; give
                          every node and worker the same --data-dir (a shared directory)
  --shutdown-grace S      on SIGTERM/SIGINT, seconds running jobs get to stop and save; queued jobs are kept for the next start (default ${DEFAULTS.shutdownGraceMs / 1000})

Serving a policy over HTTP (Pathmind's policy server's routes; every model also has them under /models/NAME/):
  --serve-model NAME      serve model NAME at POST /predict/, /predict_deterministic/, /distribution/,
                          /predict_raw/ and GET /schema
  --observation-schema F  a Pathmind schema.yaml naming the served model's observation fields, flattened
                          in declared order (default: from its observation space)

Who may connect:
  --api-key KEY           require this key (one user); better from the PALESTRA_API_KEY variable,
                          which other users of the machine cannot read in the process list
  --api-keys FILE         require a key from FILE, JSON of key → {"name": ..., "admin": true|false};
                          each name owns its jobs, models and REST environments, an admin sees all
                          (a key travels as the access_token header, query parameter or cookie,
                          or as Authorization: Bearer KEY)
  --insecure              listen beyond loopback without keys (refused otherwise)
  --allow-origin ORIGIN   let web pages from ORIGIN connect, e.g. https://app.example:8443 (repeatable;
                          * for every origin); the server's own origin and localhost pages always may
  --allow-host NAME       answer requests whose Host header is NAME (repeatable; * for any); the bound
                          address, localhost and IP addresses always are
  --max-connections N     WebSocket connections open at once (default ${DEFAULTS.maxConnections})
  --max-total-envs N      environments over every client at once, each copy of a vector environment
                          counting (default ${DEFAULTS.maxTotalEnvs})
  --idle-seconds N        close a WebSocket connection with no message either way for N seconds;
                          0 never (default ${DEFAULTS.idleSeconds})
  --max-jobs-per-user N   running and queued jobs one user may have (default ${DEFAULTS.maxJobsPerUser})
  --max-models-per-user N saved models one user may own (default ${DEFAULTS.maxModelsPerUser})
  --rate-limit NAME=RATE  a token-bucket limit per key (per connection without keys): NAME is http,
                          train, evaluate or make_vec; RATE is N/s, N/m or N/h with an optional :BURST,
                          or 0 for none (repeatable); by default ${describeDefaultRates()}
  -h, --help              show this help
  -v, --version           show the version`;

function seconds(value: number | undefined): number | undefined {
  return value === undefined ? undefined : value * 1000;
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** The page's address: a server on every interface (0.0.0.0, ::) is opened through the loopback one. */
export function pageUrl(server: Pick<PalestraServer, 'host' | 'port' | 'httpUrl'>): string {
  if (server.host === '0.0.0.0') return `http://127.0.0.1:${server.port}/`;
  if (server.host === '::') return `http://[::1]:${server.port}/`;
  return `${server.httpUrl}/`;
}

/** `train=30/m:10` flags as rate limits by name; a mistake is told in words. */
function rateLimits(items: string[] | undefined): Record<string, Rate | null> | undefined {
  if (items === undefined) return undefined;
  const out: Record<string, Rate | null> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    const name = item.slice(0, eq);
    if (eq <= 0 || !RATE_LIMIT_NAMES.includes(name)) fail(`--rate-limit takes NAME=RATE with NAME one of ${RATE_LIMIT_NAMES.join(', ')}; got ${JSON.stringify(item)}`);
    try {
      out[name] = parseRate(item.slice(eq + 1));
    } catch (err) {
      fail(`--rate-limit ${name}: ${(err as Error).message}`);
    }
  }
  return out;
}

function describeDefaultRates(): string {
  return RATE_LIMIT_NAMES.map((name) => {
    const rate = DEFAULTS.rateLimits[name];
    return `${name}: ${rate ? describeRate(rate) : 'none'}`;
  }).join(';\n                          ');
}

/** Runs the server command with the given arguments. */
export async function serve(args: string[]): Promise<void> {
  const { values } = parseCommand('palestra', args, {
    host: { type: 'string' },
    port: { type: 'string' },
    'log-level': { type: 'string' },
    'log-format': { type: 'string' },
    'data-dir': { type: 'string' },
    'max-envs': { type: 'string' },
    'max-vector-envs': { type: 'string' },
    'max-message-bytes': { type: 'string' },
    'max-message-depth': { type: 'string' },
    'max-batch': { type: 'string' },
    'max-reply-bytes': { type: 'string' },
    'max-buffered-bytes': { type: 'string' },
    'slow-client-seconds': { type: 'string' },
    'rest-idle-seconds': { type: 'string' },
    'rest-max-envs': { type: 'string' },
    'allow-shutdown': { type: 'boolean' },
    backend: { type: 'string' },
    'max-jobs': { type: 'string' },
    'env-module': { type: 'string', multiple: true },
    'max-model-bytes': { type: 'string' },
    'data-quota': { type: 'string' },
    'checkpoint-seconds': { type: 'string' },
    tensorboard: { type: 'string' },
    'shutdown-grace': { type: 'string' },
    queue: { type: 'string' },
    'serve-model': { type: 'string' },
    'observation-schema': { type: 'string' },
    'api-key': { type: 'string' },
    'api-keys': { type: 'string' },
    insecure: { type: 'boolean' },
    'allow-origin': { type: 'string', multiple: true },
    'allow-host': { type: 'string', multiple: true },
    'max-connections': { type: 'string' },
    'max-total-envs': { type: 'string' },
    'idle-seconds': { type: 'string' },
    'max-jobs-per-user': { type: 'string' },
    'max-models-per-user': { type: 'string' },
    'rate-limit': { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  });
  if (values.help) {
    process.stdout.write(`${SERVE_USAGE}\n`);
    return;
  }
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  const port = integer('port', values.port, 0);
  if (port !== undefined && port > 65535) fail(`--port must be at most 65535; got ${port}`);
  const level = values['log-level'] ?? DEFAULTS.logLevel;
  if (!LEVELS.includes(level)) fail(`--log-level must be one of ${LEVELS.join(', ')}; got ${level}`);
  const depth = integer('max-message-depth', values['max-message-depth'], 1);
  if (depth !== undefined && depth > MAX_MESSAGE_DEPTH) fail(`--max-message-depth must be at most ${MAX_MESSAGE_DEPTH}; got ${depth}`);
  const format = (values['log-format'] ?? 'auto') as LogFormat;
  if (!LOG_FORMATS.includes(format)) fail(`--log-format must be one of ${LOG_FORMATS.join(', ')}; got ${format}`);
  try {
    const server = await start({
      host: values.host,
      port,
      logger: cliLogger(level, chooseLogFormat(format, process.stdout.isTTY === true)),
      logLevel: level,
      dataDir: values['data-dir'],
      maxEnvsPerConnection: integer('max-envs', values['max-envs'], 1),
      maxVectorEnvs: integer('max-vector-envs', values['max-vector-envs'], 1),
      maxMessageBytes: integer('max-message-bytes', values['max-message-bytes'], 64),
      maxMessageDepth: depth,
      maxBatchLength: integer('max-batch', values['max-batch'], 1),
      maxReplyBytes: integer('max-reply-bytes', values['max-reply-bytes'], 1024),
      maxBufferedBytes: integer('max-buffered-bytes', values['max-buffered-bytes'], 1024),
      slowClientSeconds: integer('slow-client-seconds', values['slow-client-seconds'], 1),
      restIdleSeconds: integer('rest-idle-seconds', values['rest-idle-seconds'], 0),
      restMaxEnvs: integer('rest-max-envs', values['rest-max-envs'], 1),
      allowShutdown: values['allow-shutdown'],
      backend: values.backend,
      maxConcurrentJobs: integer('max-jobs', values['max-jobs'], 1),
      envModules: values['env-module'],
      maxModelBytes: integer('max-model-bytes', values['max-model-bytes'], 1024),
      dataDirQuotaBytes: integer('data-quota', values['data-quota'], 0),
      checkpointSeconds: integer('checkpoint-seconds', values['checkpoint-seconds'], 0),
      tensorboardDir: values.tensorboard === undefined ? undefined : resolve(values.tensorboard),
      shutdownGraceMs: seconds(integer('shutdown-grace', values['shutdown-grace'], 0)),
      serveModel: values['serve-model'],
      observationSchema: values['observation-schema'],
      apiKey: values['api-key'] ?? (process.env.PALESTRA_API_KEY || undefined),
      apiKeysFile: values['api-keys'],
      insecure: values.insecure,
      allowOrigins: values['allow-origin'],
      allowHosts: values['allow-host'],
      maxConnections: integer('max-connections', values['max-connections'], 1),
      maxTotalEnvs: integer('max-total-envs', values['max-total-envs'], 1),
      idleSeconds: integer('idle-seconds', values['idle-seconds'], 0),
      maxJobsPerUser: integer('max-jobs-per-user', values['max-jobs-per-user'], 1),
      maxModelsPerUser: integer('max-models-per-user', values['max-models-per-user'], 1),
      rateLimits: rateLimits(values['rate-limit']),
      queue: values.queue === undefined ? undefined : { url: values.queue },
    });
    process.stdout.write(
      `Palestra ${VERSION} listening on ${server.url} (Gymie clients: ${server.url}/gym; gym-http-api clients: ${server.httpUrl}); ` +
        `open ${pageUrl(server)} in a browser\n`,
    );
    // The first signal stops accepting, stops and saves running jobs, tells their owners and closes
    // every socket with 1001; a second one ends the process at once.
    let stopping = false;
    const shutdown = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(1);
      stopping = true;
      process.stderr.write(`${signal}: shutting down (running jobs save; send it again to quit at once)\n`);
      server.close().then(() => process.exit(0));
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
    // POST /v1/shutdown/ closes the server from inside; the process ends with it.
    server.http.once('close', () => setImmediate(() => process.exit(0)));
  } catch (err) {
    if (err instanceof ListenError) fail(err.message);
    fail((err as Error).message ?? String(err));
  }
}
