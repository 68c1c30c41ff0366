/**
 * `palestra models` and `palestra delete MODEL`: saved models, read from a
 * data directory on this machine, or from a running server with `--url`
 * (the server's own data directory, wherever it is).
 */
import { resolve } from 'node:path';
import { ModelStore, type ModelSummary } from '../models/store';
import { DEFAULTS } from '../server/server';
import { fail, parseCommand } from './args';
import { fmt } from './format';
import { call, callAll } from './rpc';
import { table } from './table';

const WHERE = `  --data-dir DIR          the data directory to read (default ./${DEFAULTS.dataDir})
  --url URL               ask a running server instead, e.g. ws://127.0.0.1:5000`;

const MODELS_USAGE = `Usage: palestra models [options]

Lists saved models, newest first.

Options:
${WHERE}
  --session NAME          only the models saved with this session tag
  --json                  print {"models": [...]} as JSON
  -h, --help              show this help`;

const DELETE_USAGE = `Usage: palestra delete MODEL [options]

Deletes a saved model.

Options:
${WHERE}
  -h, --help              show this help`;

const WHERE_OPTIONS = { 'data-dir': { type: 'string' }, url: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The model list as a table. */
function modelTable(models: ModelSummary[]): string {
  const rows = models.map((m) => [
    m.name,
    m.algorithm,
    m.env_id,
    String(m.timesteps),
    fmt(m.mean_return_100, 2),
    fmt((m.evaluation as { mean_return?: number } | null)?.mean_return, 2),
    m.created_at.replace('T', ' ').slice(0, 19),
    bytes(m.size_bytes),
  ]);
  return table(['NAME', 'ALGORITHM', 'ENV', 'STEPS', 'MEAN100', 'EVAL', 'CREATED (UTC)', 'SIZE'], rows);
}

function storeOf(dataDir: string | undefined): ModelStore {
  return new ModelStore(resolve(dataDir ?? DEFAULTS.dataDir));
}

/** `palestra models [--data-dir D | --url U] [--session S] [--json]`. */
export async function modelsCommand(args: string[]): Promise<void> {
  const { values } = parseCommand('palestra models', args, { ...WHERE_OPTIONS, session: { type: 'string' }, json: { type: 'boolean' } });
  if (values.help) {
    process.stdout.write(`${MODELS_USAGE}\n`);
    return;
  }
  if (values.url !== undefined && values['data-dir'] !== undefined) fail('give --url or --data-dir, not both');
  const session = values.session;
  let models: ModelSummary[];
  let where: string;
  if (values.url !== undefined) {
    models = await callAll<ModelSummary>(values.url, 'models', 'models', session === undefined ? {} : { session });
    where = values.url;
  } else {
    const store = storeOf(values['data-dir']);
    models = await store.list(session);
    where = store.dir;
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ models }, null, 2)}\n`);
  } else if (models.length === 0) {
    process.stdout.write(`No saved models${session === undefined ? '' : ` in session ${session}`} in ${where}\n`);
  } else {
    process.stdout.write(`${modelTable(models)}\n`);
  }
}

/** `palestra delete MODEL [--data-dir D | --url U]`. */
export async function deleteCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommand('palestra delete', args, WHERE_OPTIONS, true);
  if (values.help) {
    process.stdout.write(`${DELETE_USAGE}\n`);
    return;
  }
  if (positionals.length !== 1) fail('delete takes one model name; palestra delete --help lists the options');
  if (values.url !== undefined && values['data-dir'] !== undefined) fail('give --url or --data-dir, not both');
  const [name] = positionals;
  try {
    if (values.url !== undefined) {
      await call(values.url, 'delete_model', { name });
      process.stdout.write(`Deleted model ${name} on ${values.url}\n`);
    } else {
      const store = storeOf(values['data-dir']);
      await store.delete(name);
      process.stdout.write(`Deleted model ${name} from ${store.dir}\n`);
    }
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
}
