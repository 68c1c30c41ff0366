/**
 * Gymie's spelling of values and spaces: infinities as float32's largest value
 * (±3.4028234663852886e38, what old gym's CartPole had as its bounds), NaN as 0,
 * and the space dicts Gymie-Server sent.
 */
import type { SpaceDescription } from '../../api/spaces';
import { jsonWriter } from './json_writer';

/** float32's largest finite value: old gym's stand-in for infinity on the Gymie wire. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** A non-finite number as Gymie sends it. */
function nonFinite(x: number): number {
  return Number.isNaN(x) ? 0 : x > 0 ? FLOAT32_MAX : -FLOAT32_MAX;
}

/** A canonical value as Gymie's JSON text. */
export const encodeGymie = jsonWriter(nonFinite);

/**
 * A space as Gymie describes it: `{name, n}` for Discrete, `{name, shape, low,
 * high}` for Box; the spaces Gymie did not describe (MultiDiscrete, Tuple, Dict)
 * carry what a client needs to use them.
 */
export function describeGymie(d: SpaceDescription): Record<string, unknown> {
  switch (d.name) {
    case 'Discrete':
      return { name: 'Discrete', n: d.n };
    case 'Box':
      return { name: 'Box', shape: d.shape, low: d.low, high: d.high };
    case 'MultiBinary':
      return { name: 'MultiBinary', n: d.n, shape: d.shape, low: [0], high: [1] };
    case 'MultiDiscrete': {
      const out: Record<string, unknown> = { name: 'MultiDiscrete', nvec: d.nvec, shape: d.shape };
      const start = (d.start as { data: ArrayLike<number> }).data;
      if (Array.prototype.some.call(start, (s: number) => s !== 0)) out.start = d.start;
      return out;
    }
    case 'Tuple':
      return { name: 'Tuple', spaces: (d.spaces as SpaceDescription[]).map(describeGymie) };
    case 'Dict': {
      const spaces: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(d.spaces as Record<string, SpaceDescription>)) spaces[k] = describeGymie(s);
      return { name: 'Dict', spaces };
    }
    default:
      return d;
  }
}
