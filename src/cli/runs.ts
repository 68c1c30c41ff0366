/**
 * `palestra runs` and `palestra runs show ID`: the recorded runs (training and evaluation),
 * read from a data directory on this machine, or from a running server with
 * `--url`. A run is named by its id or by any unambiguous start of it (the
 * table shows the first 8 characters).
 */
import { resolve } from 'node:path';
import pino from 'pino';
import type { RunSummary } from '../generated/protocol';
import { metricsCsv } from '../runs/csv';
import type { RunFile } from '../runs/lines';
import { RunQuery, selectRuns } from '../runs/query';
import { seriesOf, type Series } from '../runs/series';
import { RunStore } from '../runs/store';
import { DEFAULTS } from '../server/server';
import { fail, parseCommand } from './args';
import { duration, fmt } from './format';
import { call, callAll } from './rpc';
import { table } from './table';

const USAGE = `Usage: palestra runs [options]
       palestra runs show RUN [options]

Lists the recorded runs, training and evaluation (newest first), or shows one: what it was
asked, how it ended, its evaluations and its latest figures. RUN is a run's
id or the start of one (the table's first column).

Options:
  --data-dir DIR          the data directory to read (default ./${DEFAULTS.dataDir})
  --url URL               ask a running server instead, e.g. ws://127.0.0.1:5000
  --env ID                only runs on this environment
  --algo NAME             only runs of this algorithm
  --session NAME          only runs with this session tag
  --status STATUS         running, stopping, completed, stopped, failed or interrupted
  --kind KIND             train (training runs) or evaluate (evaluations of saved models)
  --sort KEY              started_at, mean_return_100, evaluation or timesteps; a leading -
                          sorts largest first (default -started_at)
  --json                  print the records as JSON
  --csv                   (show) print the run's metrics as CSV
  -h, --help              show this help`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  url: { type: 'string' },
  env: { type: 'string' },
  algo: { type: 'string' },
  session: { type: 'string' },
  status: { type: 'string' },
  kind: { type: 'string' },
  sort: { type: 'string' },
  json: { type: 'boolean' },
  csv: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const STATUSES = ['running', 'stopping', 'completed', 'stopped', 'failed', 'interrupted'];
const SORTS = ['started_at', 'mean_return_100', 'evaluation', 'timesteps'];

/** Where the runs are read from. */
interface Source {
  where: string;
  list(query: RunQuery): Promise<RunSummary[]>;
  /** One run with its series and evaluations, and its metrics as CSV. */
  show(runId: string): Promise<{ run: RunSummary; points: number; series: Record<string, Series>; evaluations: Record<string, unknown>[]; csv: () => Promise<string> }>;
}

function localSource(dataDir: string | undefined): Source {
  const store = new RunStore(resolve(dataDir ?? DEFAULTS.dataDir), pino({ level: 'silent' }));
  return {
    where: store.dir,
    list: async (query) => selectRuns(await store.list(), query),
    async show(runId) {
      const { summary, file } = await store.read(runId);
      return { run: summary, points: file.progress.length, series: seriesOf(file.progress), evaluations: evaluationsOf(file), csv: async () => metricsCsv(file) };
    },
  };
}

function evaluationsOf(file: RunFile): Record<string, unknown>[] {
  return file.evaluations.map(({ type: _type, t: _t, ...point }) => point);
}

function remoteSource(url: string): Source {
  return {
    where: url,
    list: (query) => callAll<RunSummary>(url, 'runs', 'runs', { ...query }),
    async show(runId) {
      const reply = await call(url, 'run', { run_id: runId });
      return {
        ...reply,
        csv: async () => {
          const http = url.replace(/^ws/, 'http').replace(/\/+$/, '');
          const key = process.env.PALESTRA_API_KEY;
          const res = await fetch(`${http}/runs/${runId}/metrics.csv`, key ? { headers: { access_token: key } } : {});
          if (!res.ok) fail(`the server answered HTTP ${res.status} for the run's CSV`);
          return res.text();
        },
      };
    },
  };
}

/** The runs as a table. */
function runTable(runs: RunSummary[]): string {
  const rows = runs.map((r) => [
    r.run_id.slice(0, 8),
    r.status,
    r.kind === 'evaluate' ? `${r.algorithm} (eval)` : r.algorithm,
    r.env_id,
    `${r.timesteps}/${r.total_timesteps}`,
    fmt(r.mean_return_100, 2),
    fmt(r.evaluation?.mean_return, 2),
    (r.started_at ?? r.created_at).replace('T', ' ').slice(0, 19),
    r.model,
  ]);
  return table(['RUN', 'STATUS', 'ALGORITHM', 'ENV', 'STEPS', 'MEAN100', 'EVAL', 'STARTED (UTC)', 'MODEL'], rows);
}

/** A value as one line of `show`. */
function text(v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** One run as a person reads it. */
function runText(shown: Awaited<ReturnType<Source['show']>>): string {
  const r = shown.run;
  const lines = [
    `run          ${r.run_id}`,
    `status       ${r.status}${r.stop_reason ? ` (${r.stop_reason})` : ''}${r.error ? `: ${r.error.message}` : ''}`,
    ...(r.kind === 'evaluate' ? [`kind         evaluation of model ${r.model}`] : []),
    ...(r.record_error ? [`record       cut short: ${r.record_error.message}`] : []),
    `environment  ${r.env_id}${Object.keys(r.env_kwargs).length ? ` ${JSON.stringify(r.env_kwargs)}` : ''}`,
    `algorithm    ${r.algorithm}`,
    `model        ${r.model}${r.init_model ? ` (from ${r.init_model})` : ''}`,
    `seed         ${r.seed}`,
    `backend      ${text(r.backend)}`,
    `session      ${text(r.session)}`,
    `started      ${text(r.started_at)}`,
    `finished     ${text(r.finished_at)}`,
    `progress     ${r.timesteps}/${r.total_timesteps} steps, ${r.episodes} episodes in ${duration(r.elapsed_s)}; mean return (last 100) ${fmt(r.mean_return_100, 2)}`,
    '',
    'hyperparameters',
    ...Object.entries(r.hyperparameters).map(([k, v]) => `  ${k.padEnd(24)} ${text(v)}`),
  ];
  const latest = Object.entries(shown.series).filter(([, s]) => s.values.length > 0);
  if (latest.length) {
    lines.push('', `latest figures (${shown.points} progress frames recorded)`);
    for (const [name, s] of latest) lines.push(`  ${name.padEnd(24)} ${text(s.values[s.values.length - 1])}`);
  }
  if (shown.evaluations.length) {
    lines.push('', 'evaluations');
    const rows = shown.evaluations.map((e) => [String(e.timesteps), fmt(e.mean_return as number, 2), fmt(e.std_return as number, 2), String(e.episodes)]);
    lines.push(...table(['STEPS', 'MEAN', 'STD', 'EPISODES'], rows).split('\n').map((l) => `  ${l}`));
  }
  return lines.join('\n');
}

/** The full id of the one run whose id starts with `prefix`. */
async function resolveId(source: Source, prefix: string): Promise<string> {
  if (/^[0-9a-f]{32}$/.test(prefix)) return prefix;
  if (!/^[0-9a-f]{1,32}$/.test(prefix)) fail(`${JSON.stringify(prefix)} is not a run id (32 hex digits, or the start of one)`);
  const matches = (await source.list({})).filter((r) => r.run_id.startsWith(prefix));
  if (matches.length === 0) fail(`no run ${prefix} in ${source.where}`);
  if (matches.length > 1) fail(`${prefix} starts ${matches.length} runs' ids (${matches.map((r) => r.run_id.slice(0, 12)).join(', ')}); give more of it`);
  return matches[0].run_id;
}

/** `palestra runs [show RUN] [options]`. */
export async function runsCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommand('palestra runs', args, OPTIONS, true);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.url !== undefined && values['data-dir'] !== undefined) fail('give --url or --data-dir, not both');
  if (values.status !== undefined && !STATUSES.includes(values.status)) fail(`--status must be one of ${STATUSES.join(', ')}; got ${values.status}`);
  if (values.kind !== undefined && values.kind !== 'train' && values.kind !== 'evaluate') fail(`--kind must be train or evaluate; got ${values.kind}`);
  if (values.sort !== undefined && !SORTS.includes(values.sort.replace(/^-/, ''))) fail(`--sort must be one of ${SORTS.join(', ')} (a leading - sorts largest first); got ${values.sort}`);
  const source = values.url !== undefined ? remoteSource(values.url) : localSource(values['data-dir']);
  try {
    if (positionals.length === 0) {
      const query: RunQuery = {};
      if (values.env !== undefined) query.env_id = values.env;
      if (values.algo !== undefined) query.algorithm = values.algo;
      if (values.session !== undefined) query.session = values.session;
      if (values.status !== undefined) query.status = values.status as RunQuery['status'];
      if (values.kind !== undefined) query.kind = values.kind as RunQuery['kind'];
      if (values.sort !== undefined) query.sort = values.sort as RunQuery['sort'];
      const runs = await source.list(query);
      if (values.json) process.stdout.write(`${JSON.stringify({ runs }, null, 2)}\n`);
      else if (runs.length === 0) process.stdout.write(`No recorded runs${Object.keys(query).length ? ' that match' : ''} in ${source.where}\n`);
      else process.stdout.write(`${runTable(runs)}\n`);
      return;
    }
    if (positionals[0] !== 'show' || positionals.length !== 2) fail('palestra runs takes no argument, or `show RUN`; palestra runs --help lists the options');
    const shown = await source.show(await resolveId(source, positionals[1]));
    if (values.csv) process.stdout.write(await shown.csv());
    else if (values.json) {
      const { csv: _csv, ...record } = shown;
      process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
    } else process.stdout.write(`${runText(shown)}\n`);
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
}
