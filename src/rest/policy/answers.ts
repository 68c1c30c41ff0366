/**
 * What a saved policy answers for one flat observation, in Pathmind's
 * policy server's shapes: an action sampled with its probability, the most
 * likely action, or every discrete action's probability.
 */
import { PalestraError } from '../../errors';
import type { SpaceDescription } from '../../envs/spaces/space';
import { argmax, gaussianLogProb, softmax } from '../../train/core/distributions';
import type { Policy } from '../../train/core/policy';
import { Rng } from '../../train/core/random';
import { envAction } from '../../train/core/spaces';
import { unflatten } from './observation_schema';

/** Pathmind's `Action`: the action as a list, and its probability. */
export interface ActionAnswer {
  actions: number[];
  probability: number;
}

// Sampling needs a generator; one for the process is enough.
const rng = new Rng(Date.now());

/** The encoded input of the policy's networks, and the member of the space tables read. */
function encode(policy: Policy, space: SpaceDescription, flat: ArrayLike<number>): { obs: Float32Array; raw: unknown } {
  const { value } = unflatten(space, flat);
  const obs = new Float32Array(policy.encoder.size);
  try {
    policy.encoder.encode(value, obs, 0);
  } catch (err) {
    throw new PalestraError('invalid_observation', `The observation does not fit the model's observation space: ${(err as Error).message}`);
  }
  return { obs, raw: value };
}

/** The discrete action probabilities (one-hot on the greedy action for Q policies), or null for Box actions. */
function discreteProbabilities(policy: Policy, obs: Float32Array, raw: unknown): number[] | null {
  if (policy.actions.type !== 'discrete') return null;
  if (policy.actor) {
    const logits = policy.actor.forward(obs, 1);
    return softmax(logits, 0, logits.length);
  }
  return policy.predict(obs, raw, true, rng).action_probs ?? null;
}

/** An action for the observation: sampled (`deterministic` false) or the most likely, with its probability. */
export function act(policy: Policy, space: SpaceDescription, flat: ArrayLike<number>, deterministic: boolean): ActionAnswer {
  const { obs, raw } = encode(policy, space, flat);
  const probs = discreteProbabilities(policy, obs, raw);
  if (probs) {
    const index = deterministic || !policy.actor ? argmax(probs, 0, probs.length) : (policy.predict(obs, raw, false, rng).action as number);
    return { actions: [envAction(policy.actions, index) as number], probability: probs[index] };
  }
  // A Box action: the Gaussian's mean, or a draw from it with its density.
  const mean = policy.actor!.forward(obs, 1);
  const logStd = policy.set.view(policy.logStd!);
  const drawn = deterministic ? mean : (policy.predict(obs, raw, false, rng).action as Float32Array);
  return { actions: Array.from(envAction(policy.actions, drawn) as Float32Array), probability: Math.exp(gaussianLogProb(mean, 0, logStd, drawn)) };
}

/** Every discrete action (as the environment numbers it) with its probability; not_supported for Box actions. */
export function distribution(policy: Policy, space: SpaceDescription, flat: ArrayLike<number>): Record<string, number> {
  const { obs, raw } = encode(policy, space, flat);
  const probs = discreteProbabilities(policy, obs, raw);
  if (!probs) throw new PalestraError('not_supported', 'The distribution is only available for discrete action spaces; this model acts in a Box');
  return Object.fromEntries(probs.map((p, i) => [String(envAction(policy.actions, i)), p]));
}
