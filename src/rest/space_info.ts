/** A space as gym-http-api describes it (`info`), and its `observation_space/contains` check. */
import type { SpaceDescription } from '../api/spaces';
import type { NDArray } from '../api/values';
import { PalestraError } from '../errors';
import { PyFloat, finite, floats, unmarked } from './json';

/** Whether the space's members are floats (so Python clients get floats back). */
export function isFloatSpace(space: SpaceDescription): boolean {
  return space.name === 'Box' && (space.dtype === 'float32' || space.dtype === 'float64');
}

/** A member, with floats marked where the space holds floats. */
export function markMember(space: SpaceDescription, value: unknown): unknown {
  return isFloatSpace(space) ? floats(value) : value;
}

/**
 * gym-http-api's `info`: `{name, n}` for Discrete, `{name, shape, low, high}`
 * for Box with the bounds flattened in row-major order; other spaces with
 * what a client needs to use them (gym-http-api sent only their name).
 */
export function spaceInfo(space: SpaceDescription): Record<string, unknown> {
  switch (space.name) {
    case 'Discrete':
      return space.start === 0 ? { name: 'Discrete', n: space.n } : { name: 'Discrete', n: space.n, start: space.start };
    case 'Box': {
      const float = isFloatSpace(space);
      const bound = (b: NDArray) => Array.from(b.data, (v) => (float ? new PyFloat(finite(v)) : finite(v)));
      return { name: 'Box', shape: space.shape, low: bound(space.low as NDArray), high: bound(space.high as NDArray) };
    }
    case 'MultiBinary':
      return { name: 'MultiBinary', n: space.n, shape: space.shape, low: [0], high: [1] };
    case 'MultiDiscrete': {
      const out: Record<string, unknown> = { name: 'MultiDiscrete', nvec: space.nvec, shape: space.shape };
      if (Array.prototype.some.call((space.start as NDArray).data, (v: number) => v !== 0)) out.start = space.start;
      return out;
    }
    case 'Tuple':
      return { name: 'Tuple', spaces: (space.spaces as SpaceDescription[]).map(spaceInfo) };
    case 'Dict': {
      const spaces: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(space.spaces as Record<string, SpaceDescription>)) spaces[k] = spaceInfo(s);
      return { name: 'Dict', spaces };
    }
    default:
      return space;
  }
}

/**
 * gym-http-api's `observation_space/contains`: true when every property given
 * (e.g. `{"name": "Box", "shape": [4]}`) equals the space's own `info`.
 */
export function infoMatches(space: SpaceDescription, properties: unknown): boolean {
  if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) {
    throw new PalestraError('invalid_params', 'The body must be a JSON object of space properties to compare, such as {"name": "Box", "shape": [4]}');
  }
  // Compared as JSON text, as gym-http-api did, so [4] equals the (4,) a Python client sends.
  const info = unmarked(spaceInfo(space)) as Record<string, unknown>;
  for (const [key, value] of Object.entries(properties)) {
    if (!(key in info)) {
      throw new PalestraError('invalid_params', `Unknown space property ${JSON.stringify(key)}; this space has ${Object.keys(info).join(', ')}`, {
        known: Object.keys(info),
      });
    }
    if (JSON.stringify(info[key]) !== JSON.stringify(value)) return false;
  }
  return true;
}

/**
 * Reads the `{x}` of `action_space/contains/{x}`: an integer as gym-http-api's
 * `int(x)` did, or any JSON value (e.g. `[0.5,-1]` for a Box).
 */
export function parseContainsArgument(text: string): unknown {
  const trimmed = text.trim();
  if (/^[+-]?\d+$/.test(trimmed)) return Number(trimmed);
  try {
    return JSON.parse(trimmed);
  } catch {
    throw new PalestraError('invalid_params', `Cannot read ${JSON.stringify(text)} as an action: give an integer such as 1, or JSON such as [0.5,-1]`);
  }
}
