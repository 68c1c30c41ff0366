/**
 * A trained policy: its architecture (a JSON spec) and its numbers (one flat
 * Float32Array). Trainers build one and learn its parameters in place; the
 * model store saves the two; evaluation and `predict` load them and act.
 */
import type { Tensor } from '@tensorflow/tfjs';
import type { SpaceDescription } from '../../envs/spaces/space';
import type { Tf } from './backend';
import { argmax, categoricalSample, gaussianMode, gaussianSample, sdeLogStd, softmax, squashedGaussianSample } from './distributions';
import { Activation, MLP, ParamSet } from './nn';
import type { Rng } from './random';
import { ActionSpec, ObsEncoder, actionSpec, obsEncoder } from './spaces';
import { PalestraError } from '../../errors';

/** A network's shape as saved: layer sizes and hidden activation. */
export interface NetSpec {
  sizes: number[];
  activation: Activation;
}

/** Everything needed to rebuild a policy, as JSON. */
export type PolicySpec = {
  observation_space: SpaceDescription;
  action_space: SpaceDescription;
} & (
  /** With `sde`, a Box action's noise is state-dependent (gSDE): its log std is a matrix [last hidden units, action size]. */
  | { kind: 'actor_critic'; actor: NetSpec; critic: NetSpec; sde?: boolean }
  /** A policy network alone, for learners without a value function (REINFORCE, GRPO). */
  | { kind: 'actor'; actor: NetSpec }
  | { kind: 'q_network'; q: NetSpec }
  /** TD3: an actor whose tanh output, scaled to the Box, is the action; twin critics Q(s, a) of `critic`'s shape. */
  | { kind: 'deterministic_actor'; actor: NetSpec; critic: NetSpec }
  /** SAC: an actor giving a Gaussian's mean and log-std, its draw squashed by tanh and scaled to the Box; twin critics Q(s, a); log α. */
  | { kind: 'squashed_gaussian'; actor: NetSpec; critic: NetSpec }
  | { kind: 'q_table'; states: number; actions: number }
);

/**
 * The spec of a policy network alone (`kind: 'actor'`, for learners without a value
 * function: REINFORCE, GRPO): `hidden_layers` layers of `hidden_size` units between the
 * encoded observation and the action head.
 */
export function actorPolicySpec(
  observation: SpaceDescription,
  action: SpaceDescription,
  hp: { hidden_layers: number; hidden_size: number; activation: Activation },
): PolicySpec {
  const hidden = new Array<number>(hp.hidden_layers).fill(hp.hidden_size);
  return {
    kind: 'actor',
    observation_space: observation,
    action_space: action,
    actor: { sizes: [obsEncoder(observation).size, ...hidden, Policy.actionWidth(actionSpec(action))], activation: hp.activation },
  };
}

/** What `predict` answers for one observation. */
export interface Prediction {
  /** An index for Discrete action spaces (before adding `start`), a vector for Box. */
  action: number | Float32Array;
  action_probs?: number[];
  value?: number;
  q_values?: number[];
}

/** Observations of a batch, both encoded (networks) and raw (tables). */
export interface ObsBatch {
  obs: Float32Array;
  raw: unknown[];
}

/** Batches at least this large go through TensorFlow.js when it is attached; smaller ones run in plain JS. */
export const TF_MIN_BATCH = 32;

export class Policy {
  readonly set = new ParamSet();
  readonly encoder: ObsEncoder;
  readonly actions: ActionSpec;
  /** Policy network (logits or Gaussian mean) of an actor-critic or a lone actor. */
  readonly actor: MLP | null = null;
  /** Value network of an actor-critic (null for a lone actor). */
  readonly critic: MLP | null = null;
  /** Slot of the Gaussian's log standard deviation: [action size], or [last hidden units, action size] with `sde`. */
  readonly logStd: number | null = null;
  /** Whether the Gaussian is state-dependent (gSDE, `spec.sde`): its standard deviations follow the actor's last hidden layer. */
  readonly sde: boolean = false;
  readonly q: MLP | null = null;
  /** The twin action-value critics Q(s, a) of SAC and TD3 (input: observation then action in [-1, 1]). */
  readonly twinQ: readonly [MLP, MLP] | null = null;
  /** Slot of SAC's log entropy coefficient, saved so a resumed run continues with it. */
  readonly logAlpha: number | null = null;
  /** Slot of the Q table [states, actions]. */
  readonly table: number | null = null;
  private tf: Tf | null = null;
  private tensors: Tensor[] | null = null;

  /** Builds the architecture; parameters are zero until `init` or `load`. */
  constructor(readonly spec: PolicySpec) {
    this.encoder = obsEncoder(spec.observation_space);
    this.actions = actionSpec(spec.action_space);
    if (spec.kind === 'actor_critic' || spec.kind === 'actor') {
      this.actor = new MLP(this.set, spec.actor.sizes, spec.actor.activation);
      if (spec.kind === 'actor_critic') this.critic = new MLP(this.set, spec.critic.sizes, spec.critic.activation);
      this.sde = spec.kind === 'actor_critic' && spec.sde === true && this.actions.type === 'box';
      if (this.actions.type === 'box') this.logStd = this.set.add(this.sde ? [Policy.latentSize(spec.actor.sizes), this.actions.size] : [this.actions.size]);
    } else if (spec.kind === 'q_network') {
      this.q = new MLP(this.set, spec.q.sizes, spec.q.activation);
    } else if (spec.kind === 'deterministic_actor' || spec.kind === 'squashed_gaussian') {
      if (this.actions.type !== 'box') throw new PalestraError('model_corrupt', `A ${spec.kind} policy needs a Box action space`);
      // Actor, then both critics, then log α: each a contiguous range its own optimiser trains.
      this.actor = new MLP(this.set, spec.actor.sizes, spec.actor.activation);
      this.twinQ = [new MLP(this.set, spec.critic.sizes, spec.critic.activation), new MLP(this.set, spec.critic.sizes, spec.critic.activation)];
      if (spec.kind === 'squashed_gaussian') this.logAlpha = this.set.add([1]);
    } else {
      this.table = this.set.add([spec.states, spec.actions]);
    }
    this.set.allocate();
  }

  /** Output width of the policy head: one logit per action, or the action vector. */
  static actionWidth(actions: ActionSpec): number {
    return actions.type === 'discrete' ? actions.n : actions.size;
  }

  /** Units of an actor's last hidden layer (its input size when it has none): the features a state-dependent Gaussian's noise is made of. */
  static latentSize(sizes: readonly number[]): number {
    return sizes[sizes.length - 2];
  }

  /** How many numbers a policy of this spec holds, computed without allocating them. */
  static parameterCount(spec: PolicySpec): number {
    const mlp = (sizes: number[]) => sizes.slice(1).reduce((n, out, l) => n + sizes[l] * out + out, 0);
    if (spec.kind === 'actor_critic' || spec.kind === 'actor') {
      const actions = actionSpec(spec.action_space);
      const critic = spec.kind === 'actor_critic' ? mlp(spec.critic.sizes) : 0;
      const sde = spec.kind === 'actor_critic' && spec.sde === true;
      return mlp(spec.actor.sizes) + critic + (actions.type === 'box' ? actions.size * (sde ? Policy.latentSize(spec.actor.sizes) : 1) : 0);
    }
    if (spec.kind === 'q_network') return mlp(spec.q.sizes);
    if (spec.kind === 'deterministic_actor') return mlp(spec.actor.sizes) + 2 * mlp(spec.critic.sizes);
    if (spec.kind === 'squashed_gaussian') return mlp(spec.actor.sizes) + 2 * mlp(spec.critic.sizes) + 1;
    return spec.states * spec.actions;
  }

  get params(): Float32Array {
    return this.set.params;
  }

  /** Replaces the parameters (a saved vector of the same architecture). */
  load(params: Float32Array): this {
    if (params.length !== this.set.size) {
      throw new PalestraError('model_corrupt', `The policy expects ${this.set.size} parameters, the saved weights hold ${params.length}`);
    }
    this.set.params.set(params);
    this.detachTf();
    return this;
  }

  /** Lets large batches run through TensorFlow.js; parameters must not change while attached. */
  attachTf(tf: Tf): void {
    this.detachTf();
    this.tf = tf;
  }

  /** Frees the parameter tensors (call when the parameters change or when done). */
  detachTf(): void {
    this.tensors?.forEach((t) => t.dispose());
    this.tensors = null;
  }

  /** A network's forward pass, in TensorFlow.js for large batches when attached, else in plain JS. */
  forward(net: MLP, x: Float32Array, batch: number): Float32Array {
    const tf = this.tf;
    if (tf && batch >= TF_MIN_BATCH) {
      this.tensors ??= this.set.tensors(tf);
      const tensors = this.tensors;
      return tf.tidy(() => net.apply(tf, tensors, tf.tensor2d(x, [batch, net.inSize])).dataSync() as Float32Array);
    }
    return net.forward(x, batch);
  }

  /** Actions for a batch: greedy/mean when `deterministic`, else sampled with `rng`. */
  act(batch: ObsBatch, n: number, deterministic: boolean, rng: Rng): (number | Float32Array)[] {
    const out: (number | Float32Array)[] = new Array(n);
    if (this.table !== null) {
      const q = this.set.view(this.table);
      const width = this.spec.kind === 'q_table' ? this.spec.actions : 0;
      for (let i = 0; i < n; i++) out[i] = argmax(q, this.encoder.index(batch.raw[i]) * width, width);
      return out;
    }
    if (this.q) {
      const q = this.forward(this.q, batch.obs, n);
      const width = this.q.outSize;
      for (let i = 0; i < n; i++) out[i] = argmax(q, i * width, width);
      return out;
    }
    const actor = this.actor!;
    const head = this.forward(actor, batch.obs, n);
    const width = actor.outSize;
    if (this.twinQ) {
      for (let i = 0; i < n; i++) out[i] = this.squashedAction(head, i, deterministic, rng);
      return out;
    }
    if (this.actions.type === 'discrete') {
      for (let i = 0; i < n; i++) out[i] = deterministic ? argmax(head, i * width, width) : categoricalSample(head, i * width, width, rng);
      return out;
    }
    if (deterministic) {
      for (let i = 0; i < n; i++) out[i] = gaussianMode(head, i * width, width);
      return out;
    }
    const logStd = this.actionLogStd(batch.obs, n);
    for (let i = 0; i < n; i++) out[i] = gaussianSample(head, i * width, logStd.subarray(i * width, (i + 1) * width), rng);
    return out;
  }

  /** Everything `predict` reports for one encoded observation (`raw` for tables). */
  predict(obs: Float32Array, raw: unknown, deterministic: boolean, rng: Rng): Prediction {
    if (this.table !== null) {
      const width = this.spec.kind === 'q_table' ? this.spec.actions : 0;
      const row = this.encoder.index(raw) * width;
      const q = Array.from(this.set.view(this.table).subarray(row, row + width));
      const action = argmax(q, 0, width);
      return { action, q_values: q, action_probs: q.map((_, i) => (i === action ? 1 : 0)) };
    }
    if (this.q) {
      const q = Array.from(this.q.forward(obs, 1));
      const action = argmax(q, 0, q.length);
      return { action, q_values: q, action_probs: q.map((_, i) => (i === action ? 1 : 0)) };
    }
    if (this.twinQ) return { action: this.squashedAction(this.actor!.forward(obs, 1), 0, deterministic, rng) };
    const head = this.actor!.forward(obs, 1);
    // A lone actor has no value to report.
    const value = this.critic ? { value: this.critic.forward(obs, 1)[0] } : {};
    if (this.actions.type === 'discrete') {
      const probs = softmax(head, 0, head.length);
      const action = deterministic ? argmax(head, 0, head.length) : categoricalSample(head, 0, head.length, rng);
      return { action, action_probs: probs, ...value };
    }
    const action = deterministic ? gaussianMode(head, 0, head.length) : gaussianSample(head, 0, this.actionLogStd(obs, 1), rng);
    return { action, ...value };
  }

  /**
   * A Gaussian policy's log standard deviations for `n` encoded observations, [n, action size]: the
   * learnt vector on every row, or with `sde` each state's own (a draw from that Gaussian is distributed
   * as the mean plus the state's features times a fresh exploration matrix).
   */
  actionLogStd(obs: Float32Array, n: number): Float32Array {
    const d = this.actions.type === 'box' ? this.actions.size : 0;
    const logStd = this.set.view(this.logStd!);
    const out = new Float32Array(n * d);
    if (!this.sde) {
      for (let i = 0; i < n; i++) out.set(logStd, i * d);
      return out;
    }
    const actor = this.actor!;
    const outs: Float32Array[] = [];
    actor.forward(obs, n, undefined, outs);
    const k = Policy.latentSize(actor.sizes);
    const latent = MLP.lastHidden(obs, outs);
    for (let i = 0; i < n; i++) sdeLogStd(latent, i * k, logStd, d, out, i * d);
    return out;
  }

  /** Row `i` of a SAC or TD3 actor's output as an action in the Box (SAC: its mean when `deterministic`, else a draw). */
  private squashedAction(head: Float32Array, i: number, deterministic: boolean, rng: Rng): Float32Array {
    const box = this.actions as Extract<ActionSpec, { type: 'box' }>;
    const row = i * this.actor!.outSize;
    // TD3's actor is deterministic: its tanh is the action, whatever `deterministic` says.
    const u = squashedGaussianSample(head, row, box.size, deterministic || this.logAlpha === null, rng);
    return unsquash(box, u);
  }
}

/** An action in [-1, 1]^n mapped onto a bounded Box: `low + (u + 1)(high − low)/2`; answers `out` (a new vector by default). */
export function unsquash(box: Extract<ActionSpec, { type: 'box' }>, u: ArrayLike<number>, out = new Float32Array(box.size)): Float32Array {
  for (let j = 0; j < box.size; j++) out[j] = box.low[j] + 0.5 * (u[j] + 1) * (box.high[j] - box.low[j]);
  return out;
}
