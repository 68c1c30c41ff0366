/** The run methods: runs, run, delete_run. A run is seen only by the key that made it (an admin sees all). */
import { PalestraError } from '../errors';
import type { Methods } from '../generated/protocol';
import type { RunFile } from '../runs/lines';
import { runServices } from '../runs/plugin';
import { selectRuns } from '../runs/query';
import { seriesOf } from '../runs/series';
import type { RunStore } from '../runs/store';
import type { MethodContext } from './context';
import { LIST_PAGE, pageOf } from './pages';
import { Principal, mayAccess } from './principal';

type Params<M extends keyof Methods> = Methods[M]['params'];
type Result<M extends keyof Methods> = Methods[M]['result'];

function runStore(ctx: MethodContext): RunStore {
  const services = runServices(ctx.server);
  if (!services) throw new PalestraError('not_supported', 'Run records are not kept on this server');
  return services.store;
}

/** The runs `principal` may see that pass the filters, sorted, a page at a time. */
export async function listRuns(store: RunStore, principal: Principal, p: Params<'runs'>): Promise<Result<'runs'>> {
  const visible = (await store.list()).filter((r) => mayAccess(principal, r.owner));
  const page = pageOf(selectRuns(visible, p), p, LIST_PAGE);
  return { runs: page.items, next_cursor: page.next_cursor };
}

/** One run with its series (thinned to `max_points` when asked) and its evaluations; with `raw`, its file as read too. */
export async function readRun(store: RunStore, principal: Principal, p: Params<'run'>): Promise<Result<'run'>>;
export async function readRun(store: RunStore, principal: Principal, p: Params<'run'>, raw: true): Promise<Result<'run'> & { file: RunFile }>;
export async function readRun(store: RunStore, principal: Principal, p: Params<'run'>, raw = false): Promise<Result<'run'> & { file?: RunFile }> {
  await ownedRun(store, principal, p.run_id);
  const { summary, file } = await store.read(p.run_id);
  const result: Result<'run'> & { file?: RunFile } = {
    run: summary,
    points: file.progress.length,
    series: seriesOf(file.progress, p.max_points),
    evaluations: file.evaluations.map(({ type: _type, t: _t, ...point }) => point),
  };
  if (raw) result.file = file;
  return result;
}

/** Refuses a run the caller may not see as run_not_found, as for an id never made. */
async function ownedRun(store: RunStore, principal: Principal, runId: string): Promise<void> {
  const run = await store.get(runId);
  if (!mayAccess(principal, run.owner)) throw new PalestraError('run_not_found', `No run ${runId}`, { run_id: runId });
}

/** Recorded runs, filtered and sorted, a page at a time. */
export function runs(ctx: MethodContext, p: Params<'runs'>): Promise<Result<'runs'>> {
  return listRuns(runStore(ctx), ctx.session.principal, p);
}

/** One recorded run with its full series. */
export function run(ctx: MethodContext, p: Params<'run'>): Promise<Result<'run'>> {
  return readRun(runStore(ctx), ctx.session.principal, p);
}

/** Deletes a finished run's record. */
export async function delete_run(ctx: MethodContext, p: Params<'delete_run'>): Promise<Result<'delete_run'>> {
  const store = runStore(ctx);
  await ownedRun(store, ctx.session.principal, p.run_id);
  await store.delete(p.run_id);
  return { deleted: p.run_id };
}
