/**
 * What a saved policy answers for one flat observation, in Pathmind's
 * policy server's shapes: an action sampled with its probability, the most
 * likely action, or every discrete action's probability.
 */
import { PalestraError } from '../../errors';
import type { SpaceDescription } from '../../envs/spaces/space';
import { argmax, boundedLogStd, gaussianLogProb, gaussianSample, softmax, squashedGaussianLogProb } from '../../train/core/distributions';
import { unsquash, type Policy } from '../../train/core/policy';
import { Rng } from '../../train/core/random';
import { envAction, type ActionSpec } from '../../train/core/spaces';
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
  if (policy.twinQ) return squashed(policy, obs, deterministic);
  // A Box action: the Gaussian's mean, or a draw from it with its density.
  const mean = policy.actor!.forward(obs, 1);
  const logStd = policy.actionLogStd(obs, 1);
  const drawn = deterministic ? mean : (policy.predict(obs, raw, false, rng).action as Float32Array);
  return { actions: Array.from(envAction(policy.actions, drawn) as Float32Array), probability: Math.exp(gaussianLogProb(mean, 0, logStd, drawn)) };
}

/**
 * SAC's and TD3's actions: tanh of the actor scaled to the Box. TD3's is
 * certain (probability 1); SAC's is tanh(mean) or a draw, with the density
 * of the squashed Gaussian there, in the Box's units.
 */
function squashed(policy: Policy, obs: Float32Array, deterministic: boolean): ActionAnswer {
  const box = policy.actions as Extract<ActionSpec, { type: 'box' }>;
  const d = box.size;
  const head = policy.actor!.forward(obs, 1);
  if (policy.logAlpha === null) return { actions: Array.from(unsquash(box, head.map(Math.tanh))), probability: 1 };
  const logStd = Array.from({ length: d }, (_, j) => boundedLogStd(head[d + j]));
  const x = deterministic ? head.slice(0, d) : gaussianSample(head, 0, logStd, rng);
  let logDensity = squashedGaussianLogProb(head, 0, logStd, x);
  for (let j = 0; j < d; j++) logDensity -= Math.log((box.high[j] - box.low[j]) / 2);
  return { actions: Array.from(unsquash(box, x.map(Math.tanh))), probability: Math.exp(logDensity) };
}

/** Every discrete action (as the environment numbers it) with its probability; not_supported for Box actions. */
export function distribution(policy: Policy, space: SpaceDescription, flat: ArrayLike<number>): Record<string, number> {
  const { obs, raw } = encode(policy, space, flat);
  const probs = discreteProbabilities(policy, obs, raw);
  if (!probs) throw new PalestraError('not_supported', 'The distribution is only available for discrete action spaces; this model acts in a Box');
  return Object.fromEntries(probs.map((p, i) => [String(envAction(policy.actions, i)), p]));
}
