/**
 * How trainers see spaces: observations become flat float vectors (Box as is,
 * Discrete one-hot, Tuple of Discretes and Dict parts concatenated) or a single table index;
 * actions are an index into Discrete(n, start) or a vector clipped to a Box.
 * Everything here works from a space's JSON description, so a saved policy
 * needs no environment to act.
 */
import { readNumber as parseJSONNumber } from '../../api/spaces';
import { Box } from '../../envs/spaces/box';
import { Discrete } from '../../envs/spaces/discrete';
import type { Space, SpaceDescription } from '../../envs/spaces/space';
import { PalestraError } from '../../errors';

/** Turns observations of one space into rows of a float matrix. */
export interface ObsEncoder {
  /** Width of one encoded observation. */
  readonly size: number;
  /** Number of distinct observations when the space is finite (tabular methods), else null. */
  readonly states: number | null;
  /** Writes `obs` into `out` at `offset`. */
  encode(obs: unknown, out: Float32Array, offset: number): void;
  /** The table index of `obs` (finite spaces only). */
  index(obs: unknown): number;
}

/** What actions look like to a trainer. */
export type ActionSpec =
  | { type: 'discrete'; n: number; start: number }
  | { type: 'box'; size: number; shape: number[]; low: number[]; high: number[] };

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Flattens a nested JSON bound (with "Infinity" strings) into numbers. */
function flatBound(bound: unknown, size: number): number[] {
  const out: number[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else out.push(parseJSONNumber(v) ?? NaN);
  };
  walk(bound);
  if (out.length === 1 && size > 1) return new Array(size).fill(out[0]);
  return out;
}

function discreteOf(d: SpaceDescription): { n: number; start: number } {
  return { n: Number(d.n), start: Number(d.start ?? 0) };
}

/** The encoder for a space description; throws for spaces trainers do not handle. */
export function obsEncoder(d: SpaceDescription): ObsEncoder {
  if (d.name === 'Box') {
    const size = product(d.shape as number[]);
    return {
      size,
      states: null,
      encode(obs, out, offset) {
        const a = obs as ArrayLike<number>;
        if (typeof obs === 'number') out[offset] = obs;
        else for (let i = 0; i < size; i++) out[offset + i] = a[i];
      },
      index() {
        throw new PalestraError('not_supported', 'A Box observation has no table index');
      },
    };
  }
  if (d.name === 'Discrete') {
    const { n, start } = discreteOf(d);
    return {
      size: n,
      states: n,
      encode(obs, out, offset) {
        out.fill(0, offset, offset + n);
        out[offset + (obs as number) - start] = 1;
      },
      index: (obs) => (obs as number) - start,
    };
  }
  if (d.name === 'Tuple' && Array.isArray(d.spaces) && d.spaces.every((s: SpaceDescription) => s.name === 'Discrete')) {
    const parts = (d.spaces as SpaceDescription[]).map(discreteOf);
    const size = parts.reduce((a, p) => a + p.n, 0);
    const states = parts.reduce((a, p) => a * p.n, 1);
    return {
      size,
      states,
      encode(obs, out, offset) {
        out.fill(0, offset, offset + size);
        let o = offset;
        parts.forEach((p, i) => {
          out[o + Number((obs as ArrayLike<number>)[i]) - p.start] = 1;
          o += p.n;
        });
      },
      index(obs) {
        // Mixed radix, first component most significant.
        let k = 0;
        parts.forEach((p, i) => (k = k * p.n + Number((obs as ArrayLike<number>)[i]) - p.start));
        return k;
      },
    };
  }
  if (d.name === 'Dict' && d.spaces && typeof d.spaces === 'object') {
    // Each part encoded as its own space would be, concatenated in the space's key order.
    const parts = Object.entries(d.spaces as Record<string, SpaceDescription>).map(([key, s]) => ({ key, encoder: obsEncoder(s) }));
    const size = parts.reduce((a, p) => a + p.encoder.size, 0);
    return {
      size,
      states: null,
      encode(obs, out, offset) {
        let o = offset;
        for (const p of parts) {
          p.encoder.encode((obs as Record<string, unknown>)[p.key], out, o);
          o += p.encoder.size;
        }
      },
      index() {
        throw new PalestraError('not_supported', 'A Dict observation has no table index');
      },
    };
  }
  throw new PalestraError('not_supported', `observation space ${d.name} is not supported by the trainers (Box, Discrete, Tuple of Discrete and Dict of those are)`);
}

/** The action spec for a space description; throws for spaces trainers do not handle. */
export function actionSpec(d: SpaceDescription): ActionSpec {
  if (d.name === 'Discrete') return { type: 'discrete', ...discreteOf(d) };
  if (d.name === 'Box') {
    const shape = d.shape as number[];
    const size = product(shape);
    return { type: 'box', size, shape, low: flatBound(d.low, size), high: flatBound(d.high, size) };
  }
  throw new PalestraError('not_supported', `action space ${d.name} is not supported by the trainers (Discrete and Box are)`);
}

/** Rebuilds a Discrete or Box space from its description (to validate observations without an environment). */
export function spaceFromDescription(d: SpaceDescription): Space<unknown> | null {
  if (d.name === 'Discrete') {
    const { n, start } = discreteOf(d);
    return new Discrete(n, start) as Space<unknown>;
  }
  if (d.name === 'Box') {
    const shape = d.shape as number[];
    const size = product(shape);
    return new Box(flatBound(d.low, size), flatBound(d.high, size), shape, d.dtype as never) as Space<unknown>;
  }
  return null;
}

/** An action as the environment takes it: `start + index`, or the vector clipped to the Box. */
export function envAction(spec: ActionSpec, a: number | Float32Array): number | Float32Array {
  if (spec.type === 'discrete') return spec.start + (a as number);
  const v = a as Float32Array;
  const out = new Float32Array(spec.size);
  for (let i = 0; i < spec.size; i++) out[i] = Math.min(Math.max(v[i], spec.low[i]), spec.high[i]);
  return out;
}

/** Why no network can read observations of `d` (the encoder's message), or null if one can. */
export function observationProblem(d: SpaceDescription): string | null {
  try {
    obsEncoder(d);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Why `algorithm` cannot act in `d` when it acts only in spaces of these kinds, or null if it can. */
export function actionKindProblem(algorithm: string, d: SpaceDescription, kinds: readonly ('Discrete' | 'Box')[]): string | null {
  return (kinds as readonly string[]).includes(d.name) ? null : `${algorithm} needs a ${kinds.join(' or ')} action space, not ${d.name}`;
}

/** Why `algorithm` (SAC, TD3: actions squashed into the Box's bounds) cannot act in `d`, or null if it can. */
export function boundedBoxProblem(algorithm: string, d: SpaceDescription): string | null {
  if (d.name !== 'Box') return `${algorithm} needs a Box action space, not ${d.name}`;
  const { low, high } = actionSpec(d) as Extract<ActionSpec, { type: 'box' }>;
  const bounded = low.every((l, i) => Number.isFinite(l) && Number.isFinite(high[i]) && l < high[i]);
  return bounded ? null : `${algorithm} needs a Box action space with finite bounds (low < high) to scale its actions into`;
}
