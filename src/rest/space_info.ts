/** A space as gym-http-api describes it (`info`), and its `observation_space/contains` check. */
import { Box, jsonNumber } from '../envs/spaces/box';
import { Discrete } from '../envs/spaces/discrete';
import { NotInSpace, Space } from '../envs/spaces/space';
import { PalestraError } from '../errors';
import { PyFloat, floats, unmarked } from './json';

/** Whether the space's members are floats (so Python clients get floats back). */
export function isFloatSpace(space: Space<unknown>): boolean {
  return space instanceof Box && (space.dtype === 'float32' || space.dtype === 'float64');
}

/** A member already in its JSON form, with floats marked where the space holds floats. */
export function markMember(space: Space<unknown>, json: unknown): unknown {
  return isFloatSpace(space) ? floats(json) : json;
}

/**
 * gym-http-api's `info`: `{name, n}` for Discrete, `{name, shape, low, high}`
 * for Box with the bounds flattened in row-major order; other spaces as
 * Gymie describes them (gym-http-api sent only their name).
 */
export function spaceInfo(space: Space<unknown>): Record<string, unknown> {
  if (space instanceof Discrete) return space.start === 0 ? { name: 'Discrete', n: space.n } : { name: 'Discrete', n: space.n, start: space.start };
  if (space instanceof Box) {
    const bound = (b: ArrayLike<number>) =>
      Array.from(b, (v) => {
        const x = jsonNumber(v, true) as number;
        return isFloatSpace(space) ? new PyFloat(x) : x;
      });
    return { name: 'Box', shape: [...space.shape], low: bound(space.low), high: bound(space.high) };
  }
  return space.describeGymie();
}

/**
 * gym-http-api's `observation_space/contains`: true when every property given
 * (e.g. `{"name": "Box", "shape": [4]}`) equals the space's own `info`.
 */
export function infoMatches(space: Space<unknown>, properties: unknown): boolean {
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

/** Whether a JSON value is a member of the space. */
export function jsonMember(space: Space<unknown>, value: unknown): boolean {
  try {
    space.fromJSONValue(value);
    return true;
  } catch (err) {
    if (err instanceof NotInSpace) return false;
    throw err;
  }
}
