/** `palestra jobs`: a running server's training and evaluation jobs (they live in the server, not on disk). */
import { parseCommand } from './args';
import { fmt } from './format';
import { bar } from './progress_bar';
import { callAll, DEFAULT_URL } from './rpc';
import { table } from './table';

const JOBS_USAGE = `Usage: palestra jobs [options]

Lists the jobs a running server remembers (queued, running and recently finished), oldest first.

Options:
  --url URL               the server (default ${DEFAULT_URL})
  --status STATUS         only jobs in this state: queued, running, stopping, saving, completed, stopped or failed
  --kind KIND             only train or evaluate jobs
  --session NAME          only the jobs of this session tag
  --json                  print {"jobs": [...]} as JSON
  -h, --help              show this help`;

interface JobRecord {
  job_id: string;
  kind: string;
  status: string;
  env_id: string;
  algorithm: string;
  model: string;
  created_at: string;
  progress: Record<string, number | null> | null;
}

/** How far a job has got, in its own unit: steps for training, episodes for evaluation. */
function progressOf(job: JobRecord): string {
  const p = job.progress;
  if (!p) return '–';
  if (job.kind === 'train' && typeof p.timesteps === 'number' && typeof p.total_timesteps === 'number') {
    return `${bar(p.timesteps, p.total_timesteps)} ${p.timesteps}/${p.total_timesteps} steps, mean100 ${fmt(p.mean_return_100)}`;
  }
  if (typeof p.episodes_done === 'number' && typeof p.episodes === 'number') return `${p.episodes_done}/${p.episodes} episodes`;
  return '–';
}

/** `palestra jobs [--url U] [--status S] [--kind K] [--session S] [--json]`. */
export async function jobsCommand(args: string[]): Promise<void> {
  const { values } = parseCommand('palestra jobs', args, {
    url: { type: 'string' },
    status: { type: 'string' },
    kind: { type: 'string' },
    session: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${JOBS_USAGE}\n`);
    return;
  }
  const params: Record<string, string> = {};
  for (const key of ['status', 'kind', 'session'] as const) if (values[key] !== undefined) params[key] = values[key];
  const url = values.url ?? DEFAULT_URL;
  const jobs = await callAll<JobRecord>(url, 'jobs', 'jobs', params);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ jobs }, null, 2)}\n`);
    return;
  }
  if (jobs.length === 0) {
    process.stdout.write(`No jobs on ${url}\n`);
    return;
  }
  const rows = jobs.map((j) => [j.job_id, j.kind, j.status, j.env_id, j.algorithm, j.model, progressOf(j)]);
  process.stdout.write(`${table(['JOB', 'KIND', 'STATUS', 'ENV', 'ALGORITHM', 'MODEL', 'PROGRESS'], rows)}\n`);
}
