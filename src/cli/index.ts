#!/usr/bin/env node
/** `palestra [--host H] [--port P] [--log-level L] [--data-dir D]`: starts the server from a shell. */
import { parseArgs } from 'node:util';
import { fail, integer } from './cli_args';
import { start } from './index';
import { DEFAULTS, ListenError } from './server/server';
import { evaluateCommand, trainCommand } from './train/cli';
import { VERSION } from './version';

const USAGE = `Usage: palestra [options]
       palestra train ENV_ID [options]     (train in the terminal; palestra train --help)
       palestra evaluate MODEL [options]   (evaluate a saved model; palestra evaluate --help)

Starts the Palestra server (JSON-RPC on ws://HOST:PORT/, Gymie clients on ws://HOST:PORT/gym,
gym-http-api clients on http://HOST:PORT/v1/).

Options:
  --host HOST             address to listen on (default ${DEFAULTS.host})
  --port PORT             port to listen on; 0 picks a free one (default ${DEFAULTS.port})
  --log-level LEVEL       fatal, error, warn, info, debug, trace or silent (default ${DEFAULTS.logLevel})
  --data-dir DIR          where trained models and records are saved (default ./${DEFAULTS.dataDir})
  --max-envs N            environments one connection may hold (default ${DEFAULTS.maxEnvsPerConnection})
  --max-message-bytes N   largest message accepted (default ${DEFAULTS.maxMessageBytes})
  --rest-idle-seconds N   close a gym-http-api (REST) environment unused for N seconds; 0 never (default ${DEFAULTS.restIdleSeconds})
  --rest-max-envs N       environments the REST API may hold at once (default ${DEFAULTS.restMaxEnvs})
  --allow-shutdown        let POST /v1/shutdown/ stop the server (gym-http-api's test harness uses it)
  --backend NAME          TensorFlow.js backend for training: auto, tensorflow, wasm or cpu (default ${DEFAULTS.backend})
  --max-jobs N            training/evaluation jobs running at once; more wait in a queue (default ${DEFAULTS.maxConcurrentJobs})
  --env-module PATH       a module that registers environments (repeatable); training workers load it too
  -h, --help              show this help
  -v, --version           show the version`;



/** Runs the server command with the given arguments. */
export async function serve(args: string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'log-level': { type: 'string' },
        'data-dir': { type: 'string' },
        'max-envs': { type: 'string' },
        'max-message-bytes': { type: 'string' },
        'rest-idle-seconds': { type: 'string' },
        'rest-max-envs': { type: 'string' },
        'allow-shutdown': { type: 'boolean' },
        backend: { type: 'string' },
        'max-jobs': { type: 'string' },
        'env-module': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
      strict: true,
    }));
  } catch (err) {
    fail(`${(err as Error).message}\n\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  const port = integer('port', values.port, 0);
  if (port !== undefined && port > 65535) fail('--port must be at most 65535');
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (values['log-level'] !== undefined && !levels.includes(values['log-level'])) {
    fail(`--log-level must be one of ${levels.join(', ')}`);
  }
  try {
    const server = await start({
      host: values.host,
      port,
      logLevel: values['log-level'],
      dataDir: values['data-dir'],
      maxEnvsPerConnection: integer('max-envs', values['max-envs'], 1),
      maxMessageBytes: integer('max-message-bytes', values['max-message-bytes'], 64),
      restIdleSeconds: integer('rest-idle-seconds', values['rest-idle-seconds'], 0),
      restMaxEnvs: integer('rest-max-envs', values['rest-max-envs'], 1),
      allowShutdown: values['allow-shutdown'],
      backend: values.backend,
      maxConcurrentJobs: integer('max-jobs', values['max-jobs'], 1),
      envModules: values['env-module'],
    });
    process.stdout.write(
      `Palestra ${VERSION} listening on ${server.url} (Gymie clients: ${server.url}/gym; gym-http-api clients: ${server.httpUrl})\n`,
    );
    const shutdown = () => {
      server.close().then(() => process.exit(0));
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    // POST /v1/shutdown/ closes the server from inside; the process ends with it.
    server.http.once('close', () => setImmediate(() => process.exit(0)));
  } catch (err) {
    if (err instanceof ListenError) fail(err.message);
    fail((err as Error).message ?? String(err));
  }
}

/** Sub-commands by name; the server is the default. */
const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  serve,
  train: trainCommand,
  evaluate: evaluateCommand,
};

/** The CLI entry point. */
export async function main(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  if (first && COMMANDS[first]) return COMMANDS[first](rest);
  return serve(argv);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err) => fail((err as Error).message ?? String(err)));
}
