/**
 * The runs over plain HTTP: `GET /runs` (the `runs` method's params as query
 * parameters), `GET /runs/{id}` (`run`, with `?max_points=`) and
 * `GET /runs/{id}/metrics.csv`. Each answers what its method answers, for the
 * key's owner alone, with the method's schemas describing the route.
 */
import type { FastifyInstance } from 'fastify';
import { listRuns, readRun } from '../api/runs';
import { protocol } from '../server/protocol';
import { metricsCsv } from './csv';
import type { RunStore } from './store';

/** Query values are text; the schema's integers are read as numbers before validation. */
function numbersIn(query: Record<string, string>, names: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...query };
  for (const name of names) {
    if (typeof out[name] === 'string' && /^[0-9]+$/.test(out[name] as string)) out[name] = Number(out[name]);
  }
  return out;
}

/** The routes as a Fastify plugin. */
export function runRoutes(store: RunStore) {
  return async (app: FastifyInstance): Promise<void> => {
    // checkParams validates with the protocol's own compiled schemas (which resolve defs.json); the route schemas document.
    app.setValidatorCompiler(() => () => true);
    const { methods: schemas } = protocol();
    const inline = <T>(schema: T): T => protocol().inlineDefinitions(schema);
    const runId = { type: 'object', properties: { id: { type: 'string' } } };
    app.get(
      '/runs',
      { schema: { summary: schemas.get('runs')!.summary, querystring: inline(schemas.get('runs')!.params), response: { 200: inline(schemas.get('runs')!.result) } } },
      async (request) => {
        const params = protocol().checkParams('runs', numbersIn(request.query as Record<string, string>, ['limit']));
        return listRuns(store, request.principal, params);
      },
    );
    app.get(
      '/runs/:id',
      { schema: { summary: schemas.get('run')!.summary, params: runId, response: { 200: inline(schemas.get('run')!.result) } } },
      async (request) => {
        const query = numbersIn(request.query as Record<string, string>, ['max_points']);
        const params = protocol().checkParams('run', { ...query, run_id: (request.params as { id: string }).id });
        return readRun(store, request.principal, params as { run_id: string; max_points?: number });
      },
    );
    app.get('/runs/:id/metrics.csv', { schema: { summary: "A run's metrics as CSV: a row per progress frame, a column per figure.", params: runId } }, async (request, reply) => {
      const { run_id } = protocol().checkParams('run', { run_id: (request.params as { id: string }).id }) as { run_id: string };
      const { file } = await readRun(store, request.principal, { run_id }, true);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="run-${run_id}.csv"`)
        .send(metricsCsv(file));
    });
  };
}
