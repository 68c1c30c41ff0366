/** Which runs a `runs` call lists, in which order. */
import type { Methods, RunSummary } from '../generated/protocol';

/** The filters and order `runs` takes. */
export type RunQuery = Pick<Methods['runs']['params'], 'env_id' | 'algorithm' | 'session' | 'status' | 'sort' | 'kind'>;

/** The field a sort key reads; null sorts last whichever the direction. */
function sortValue(run: RunSummary, field: string): number | null {
  switch (field) {
    case 'started_at':
      return Date.parse(run.started_at ?? run.created_at);
    case 'mean_return_100':
      return run.mean_return_100;
    case 'evaluation':
      return run.evaluation?.mean_return ?? null;
    default:
      return run.timesteps;
  }
}

/** The runs that pass the filters, sorted (newest first by default; ties by id, so pages are stable). */
export function selectRuns(runs: readonly RunSummary[], q: RunQuery): RunSummary[] {
  const sort = q.sort ?? '-started_at';
  const descending = sort.startsWith('-');
  const field = descending ? sort.slice(1) : sort;
  return runs
    .filter(
      (r) =>
        (q.env_id === undefined || r.env_id === q.env_id) &&
        (q.algorithm === undefined || r.algorithm === q.algorithm) &&
        (q.session === undefined || r.session === q.session) &&
        (q.status === undefined || r.status === q.status) &&
        (q.kind === undefined || r.kind === q.kind),
    )
    .map((r) => ({ r, v: sortValue(r, field) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null || a.v === b.v) {
        if (a.v !== b.v) return a.v === null ? 1 : -1;
        return a.r.run_id < b.r.run_id ? -1 : a.r.run_id > b.r.run_id ? 1 : 0;
      }
      return descending ? b.v - a.v : a.v - b.v;
    })
    .map(({ r }) => r);
}
