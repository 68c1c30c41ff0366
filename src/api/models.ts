/** The model methods: models, delete_model, predict. */
import { NotInSpace } from '../envs/spaces/space';
import { describeSpace, fromPlainValue } from './spaces';
import { PalestraError } from '../errors';
import { Rng } from '../train/core/random';
import { envAction } from '../train/core/spaces';
import type { Methods } from '../generated/protocol';
import type { MethodContext } from './context';
import { checkModelAccess } from './ownership';
import { mayAccess } from './principal';
import { training } from './train';

/** The caller's saved models (an admin's: all), newest first; with `name`, that one model with its full record (curve, evaluations, policy). */
export async function models(ctx: MethodContext, p: Methods['models']['params']): Promise<Methods['models']['result']> {
  const { store } = training(ctx);
  const visible = (m: { owner?: string | null }) => mayAccess(ctx.session.principal, m.owner);
  if (p.name !== undefined) {
    const [summary] = (await store.list()).filter((m) => m.name === p.name && visible(m));
    if (!summary) throw new PalestraError('model_not_found', `No saved model named ${p.name}`, { model: p.name });
    const { meta } = await store.load(p.name);
    return { models: p.session === undefined || meta.session === p.session ? [{ ...summary, ...meta }] : [] };
  }
  return { models: (await store.list(p.session)).filter(visible) };
}

/** Deletes a saved model. */
export async function delete_model(ctx: MethodContext, p: Methods['delete_model']['params']): Promise<Methods['delete_model']['result']> {
  const { store, cache } = training(ctx);
  await checkModelAccess(ctx, store, p.name);
  await store.delete(p.name);
  cache.drop(p.name);
  return { deleted: p.name };
}

// Sampling in `predict` (deterministic: false) needs a generator; one per server process is enough.
const predictRng = new Rng(Date.now());

/** The action a saved policy takes for one observation, with its probabilities and value where it has them. */
export async function predict(ctx: MethodContext, p: Methods['predict']['params']): Promise<Methods['predict']['result']> {
  const { cache, store } = training(ctx);
  await checkModelAccess(ctx, store, p.model);
  const loaded = await cache.get(p.model);
  const { policy } = loaded;
  let obs: unknown;
  try {
    obs = loaded.observationSpace ? fromPlainValue(loaded.observationSpace, p.observation) : p.observation;
  } catch (err) {
    if (err instanceof NotInSpace) {
      throw new PalestraError('invalid_observation', `Invalid observation for ${loaded.meta.env_id}: ${err.message}`, {
        space: loaded.observationSpace ? describeSpace(loaded.observationSpace) : undefined,
      });
    }
    throw err;
  }
  const encoded = new Float32Array(policy.encoder.size);
  try {
    policy.encoder.encode(obs, encoded, 0);
  } catch (err) {
    throw new PalestraError('invalid_observation', `Invalid observation for ${loaded.meta.env_id}: ${(err as Error).message}`);
  }
  const out = policy.predict(encoded, obs, p.deterministic ?? true, predictRng);
  const action = envAction(policy.actions, out.action);
  const result: Methods['predict']['result'] = {
    model: loaded.meta.name,
    action: typeof action === 'number' ? action : Array.from(action),
  };
  if (out.action_probs) result.action_probs = out.action_probs;
  if (out.value !== undefined) result.value = out.value;
  if (out.q_values) result.q_values = out.q_values;
  return result;
}
