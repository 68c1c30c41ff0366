/**
 * The GRPO training API's routes with its request and reply shapes, on the
 * server's own jobs and models: a job started here is the same job the
 * socket's `train` starts (and `jobs` lists), and the reverse.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MethodContext } from '../../api/context';
import { delete_model, models, predict } from '../../api/models';
import { job, jobs, stop, submitTraining, training } from '../../api/train';
import { PalestraError } from '../../errors';
import type { Methods } from '../../generated/protocol';
import { requestContext } from '../context';
import { routeFiles, routeSchema } from '../route_schemas';
import { GrpoTrainBody, trainRequest } from './config';
import { grpoStatus, trainingStatus } from './status';

type Prediction = Methods['predict']['result'];

/** Every page of a paged list method. */
async function allPages<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; next_cursor: string | null }> | { items: T[]; next_cursor: string | null }): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    out.push(...p.items);
    cursor = p.next_cursor ?? undefined;
  } while (cursor !== undefined);
  return out;
}

/** One prediction in the GRPO API's shape. */
function inferenceReply(p: Prediction): Record<string, unknown> {
  const reply: Record<string, unknown> = { action: p.action, action_probs: p.action_probs ?? null, value: p.value ?? null };
  if (p.q_values) reply.q_values = p.q_values;
  return reply;
}

/**
 * Predicts for one observation, or for each of a list of them: a value the
 * model's space refuses as one observation, whose items it takes one by one,
 * is a batch (so `[0.1, 0, 0.05, 0]` is one CartPole observation, and
 * `[[...], [...]]` two).
 */
async function infer(ctx: MethodContext, model: string, observation: unknown, deterministic: boolean): Promise<Record<string, unknown>> {
  try {
    return inferenceReply(await predict(ctx, { model, observation, deterministic }));
  } catch (err) {
    if (!(err instanceof PalestraError && err.errorName === 'invalid_observation') || !Array.isArray(observation) || observation.length === 0) throw err;
    let batch: Prediction[];
    try {
      batch = [];
      for (const one of observation) batch.push(await predict(ctx, { model, observation: one, deterministic }));
    } catch {
      throw err;
    }
    const reply: Record<string, unknown> = {
      action: batch.map((p) => p.action),
      action_probs: batch.every((p) => p.action_probs) ? batch.map((p) => p.action_probs) : null,
      value: batch.every((p) => p.value !== undefined) ? batch.map((p) => p.value) : null,
    };
    if (batch.every((p) => p.q_values)) reply.q_values = batch.map((p) => p.q_values);
    return reply;
  }
}

type WithParams<P> = FastifyRequest<{ Params: P }>;

/** Registers the routes on a scope that speaks the FastAPI dialect. */
export async function grpoRoutes(app: FastifyInstance): Promise<void> {
  const files = routeFiles('grpo');
  const route = (name: string) => ({ method: files[name].method, url: files[name].url, schema: routeSchema(files[name]) });

  app.route({
    ...route('train'),
    // FastAPI's model with every field optional takes `{}`; an empty body is taken as that too.
    preValidation: async (request: FastifyRequest) => {
      if (request.body === null || request.body === undefined) request.body = {};
    },
    handler: async (request) => {
      const ctx = requestContext(request);
      const { request: req, config } = trainRequest(request.body as GrpoTrainBody);
      const { job: started, plan } = await submitTraining(ctx, req);
      return {
        job_id: started.id,
        message: 'Training started',
        config: {
          ...config,
          model_name: started.model,
          seed: plan.seed,
          hyperparameters: plan.hyperparameters,
          status: started.status === 'queued' ? 'queued' : 'running',
        },
      };
    },
  });

  app.route({
    ...route('status'),
    handler: async (request: WithParams<{ job_id: string }>) => trainingStatus(await job(requestContext(request), { job_id: request.params.job_id })),
  });

  app.route({
    ...route('jobs'),
    handler: async (request) => {
      const ctx = requestContext(request);
      const records = await allPages(async (cursor) => {
        const page = await jobs(ctx, { kind: 'train', cursor });
        return { items: page.jobs, next_cursor: page.next_cursor };
      });
      return { jobs: records.map(trainingStatus) };
    },
  });

  app.route({
    ...route('stop'),
    handler: async (request: WithParams<{ job_id: string }>) => {
      const record = await stop(requestContext(request), { job_id: request.params.job_id });
      return { message: 'Training job stopped', job_id: record.job_id, status: grpoStatus(record.status) };
    },
  });

  app.route({
    ...route('inference'),
    handler: async (request) => {
      const body = request.body as { model_name: string; observation: unknown; deterministic?: boolean };
      return infer(requestContext(request), body.model_name, body.observation, body.deterministic ?? true);
    },
  });

  app.route({
    ...route('models'),
    handler: async (request) => {
      const ctx = requestContext(request);
      const { cache } = training(ctx);
      const list = await allPages(async (cursor) => {
        const page = await models(ctx, { cursor });
        return { items: page.models, next_cursor: page.next_cursor };
      });
      return { models: list.map((m) => ({ ...m, status: cache.has(m.name) ? 'loaded' : 'saved' })) };
    },
  });

  app.route({
    ...route('delete_model'),
    handler: async (request: WithParams<{ model_name: string }>) => {
      const { deleted } = await delete_model(requestContext(request), { name: request.params.model_name });
      return { message: `Model ${deleted} deleted`, deleted };
    },
  });
}
