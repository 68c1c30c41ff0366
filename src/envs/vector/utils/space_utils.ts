/**
 * Gymnasium's `vector/utils/space_utils.py`: `batch_space` (one space for n
 * copies of a space), `iterate` (a batched value, copy by copy),
 * `concatenate` (copies' values into one batched value) and
 * `create_empty_array`. A batched value is a value of the batched space: a Box
 * batch is one flat typed array of `n × size` elements (row-major, copy after
 * copy), a Discrete batch a Float64Array of n integers (MultiDiscrete's int64),
 * a Tuple batch an array of batched members, a Dict batch an object of them.
 */
import { PalestraError } from '../../../errors';
import { ARRAYS, Box, BoxArray } from '../../spaces/box';
import { Dict } from '../../spaces/dict';
import { Discrete } from '../../spaces/discrete';
import { MultiBinary } from '../../spaces/multi_binary';
import { MultiDiscrete } from '../../spaces/multi_discrete';
import type { Space } from '../../spaces/space';
import { Tuple } from '../../spaces/tuple';

/** `np.tile` of a flat array n times. */
function tile(a: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n * a.length);
  for (let i = 0; i < n; i++) for (let k = 0; k < a.length; k++) out[i * a.length + k] = a[k];
  return out;
}

function notBatchable(space: Space<unknown>): PalestraError {
  return new PalestraError(
    'not_supported',
    `Cannot batch ${space.toString()}: vector environments batch Box, Discrete, MultiDiscrete, MultiBinary, Tuple and Dict spaces`,
  );
}

/**
 * Gymnasium's `batch_space(space, n)`: Box → Box of shape `(n, ...)`, Discrete →
 * MultiDiscrete, MultiDiscrete and MultiBinary → integer Box of shape `(n, ...)`,
 * Tuple and Dict member by member. The batched space starts from a copy of the
 * space's generator (`seed=deepcopy(space.np_random)`), so both draw alike until
 * one of them is seeded.
 */
export function batch_space(space: Space<any>, n: number): Space<any> {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`Cannot batch a space ${n} times: n must be a positive integer`);
  let batched: Space<any>;
  if (space instanceof Box) {
    batched = new Box(tile(space.low, n), tile(space.high, n), [n, ...space.shape], space.dtype);
  } else if (space instanceof Discrete) {
    batched = new MultiDiscrete(new Array<number>(n).fill(space.n), new Array<number>(n).fill(space.start));
  } else if (space instanceof MultiDiscrete) {
    const low = tile(space.start, n);
    const high = tile(space.nvec, n).map((v, k) => low[k] + v - 1);
    batched = new Box(low, high, [n, ...space.shape], 'int64');
  } else if (space instanceof MultiBinary) {
    batched = new Box(0, 1, [n, ...space.shape], 'int8');
  } else if (space instanceof Tuple) {
    batched = new Tuple(space.spaces.map((s) => batch_space(s, n)));
  } else if (space instanceof Dict) {
    batched = new Dict(space.keyList().map((k) => [k, batch_space(space.spaces[k], n)] as const));
  } else {
    throw notBatchable(space);
  }
  batched.np_random = space.np_random.clone();
  return batched;
}

/** Reads copy `i`'s value out of a batched value. */
export type BatchReader = (items: unknown, i: number) => unknown;

/** Writes copy `i`'s value into a batched value. */
export type BatchWriter = (out: unknown, i: number, value: unknown) => void;

/** The number of elements of one value of an array space. */
function sizeOf(space: Box | MultiDiscrete | MultiBinary): number {
  return space instanceof MultiDiscrete ? space.nvec.length : space.size;
}

/** The typed array type of one value of an array space. */
function arrayOf(space: Box | MultiDiscrete | MultiBinary): new (n: number) => BoxArray {
  if (space instanceof Box) return ARRAYS[space.dtype];
  return space instanceof MultiBinary ? Int8Array : Float64Array;
}

/**
 * How to read copy `i`'s value out of a batch of `space`'s values (compiled once
 * per space, so stepping allocates nothing for Discrete actions). A copy of an
 * array space reads as a view into the batch when the batch is a typed array.
 */
export function batch_reader(space: Space<any>, float64 = false): BatchReader {
  if (space instanceof Discrete) return (items, i) => (items as ArrayLike<number>)[i];
  if (space instanceof Box || space instanceof MultiDiscrete || space instanceof MultiBinary) {
    const size = sizeOf(space);
    // Copies that use float actions as float64 (EnvMetadata.float64_actions) get the numbers sent, unrounded.
    const Ctor = float64 && space instanceof Box && space.dtype === 'float32' ? Float64Array : arrayOf(space);
    return (items, i) => {
      if (ArrayBuffer.isView(items)) return (items as BoxArray).subarray(i * size, (i + 1) * size);
      const out = new Ctor(size);
      const flat = items as ArrayLike<number>;
      for (let k = 0; k < size; k++) out[k] = flat[i * size + k];
      return out;
    };
  }
  if (space instanceof Tuple) {
    const readers = space.spaces.map((s) => batch_reader(s));
    return (items, i) => readers.map((read, k) => read((items as unknown[])[k], i));
  }
  if (space instanceof Dict) {
    const keys = space.keyList();
    const readers = keys.map((k) => batch_reader(space.spaces[k]));
    return (items, i) => {
      const out: Record<string, unknown> = {};
      keys.forEach((k, j) => (out[k] = readers[j]((items as Record<string, unknown>)[k], i)));
      return out;
    };
  }
  throw notBatchable(space);
}

/** How to write copy `i`'s value into a batch made by `create_empty_array(space, n)`. */
export function batch_writer(space: Space<any>): BatchWriter {
  if (space instanceof Discrete) {
    return (out, i, value) => {
      (out as Float64Array)[i] = value as number;
    };
  }
  if (space instanceof Box || space instanceof MultiDiscrete || space instanceof MultiBinary) {
    const size = sizeOf(space);
    if (size === 1) {
      return (out, i, value) => {
        (out as BoxArray)[i] = typeof value === 'number' ? value : (value as ArrayLike<number>)[0];
      };
    }
    return (out, i, value) => {
      const o = out as BoxArray;
      const v = value as ArrayLike<number>;
      const at = i * size;
      for (let k = 0; k < size; k++) o[at + k] = v[k];
    };
  }
  if (space instanceof Tuple) {
    const writers = space.spaces.map(batch_writer);
    return (out, i, value) => {
      for (let k = 0; k < writers.length; k++) writers[k]((out as unknown[])[k], i, (value as unknown[])[k]);
    };
  }
  if (space instanceof Dict) {
    const keys = space.keyList();
    const writers = keys.map((k) => batch_writer(space.spaces[k]));
    return (out, i, value) => {
      for (let j = 0; j < keys.length; j++) writers[j]((out as Record<string, unknown>)[keys[j]], i, (value as Record<string, unknown>)[keys[j]]);
    };
  }
  throw notBatchable(space);
}

/** Gymnasium's `create_empty_array(space, n)`: a zeroed batch of n values of `space`. */
export function create_empty_array(space: Space<any>, n: number): unknown {
  if (space instanceof Discrete) return new Float64Array(n);
  if (space instanceof Box || space instanceof MultiDiscrete || space instanceof MultiBinary) return new (arrayOf(space))(n * sizeOf(space));
  if (space instanceof Tuple) return space.spaces.map((s) => create_empty_array(s, n));
  if (space instanceof Dict) {
    const out: Record<string, unknown> = {};
    for (const k of space.keyList()) out[k] = create_empty_array(space.spaces[k], n);
    return out;
  }
  throw notBatchable(space);
}

/** Gymnasium's `concatenate(space, items, out)`: each copy's value (of `space`, the single space) into `out`; answers `out`. */
export function concatenate(space: Space<any>, items: readonly unknown[], out: unknown): unknown {
  const write = batch_writer(space);
  for (let i = 0; i < items.length; i++) write(out, i, items[i]);
  return out;
}

/**
 * Gymnasium's `iterate(space, items)` over a batched space: the values along the
 * first axis (numbers for a 1-d MultiDiscrete, rows of typed arrays for an array
 * space, zipped members for Tuple and Dict). Discrete cannot be iterated.
 */
export function* iterate(space: Space<any>, items: unknown): Generator<unknown> {
  if (space instanceof Box || space instanceof MultiDiscrete || space instanceof MultiBinary) {
    const n = space.shape[0];
    if (n === undefined) throw new TypeError(`Unable to iterate over a 0-d ${space.toString()}`);
    const size = sizeOf(space) / n;
    const flat = items as ArrayLike<number>;
    if (space.shape.length === 1) {
      for (let i = 0; i < n; i++) yield flat[i];
      return;
    }
    const Ctor = arrayOf(space);
    for (let i = 0; i < n; i++) {
      if (ArrayBuffer.isView(items)) yield (items as BoxArray).subarray(i * size, (i + 1) * size);
      else {
        const row = new Ctor(size);
        for (let k = 0; k < size; k++) row[k] = flat[i * size + k];
        yield row;
      }
    }
    return;
  }
  if (space instanceof Tuple) {
    const members = space.spaces.map((s, k) => [...iterate(s, (items as unknown[])[k])]);
    const n = members.length ? members[0].length : 0;
    for (let i = 0; i < n; i++) yield members.map((m) => m[i]);
    return;
  }
  if (space instanceof Dict) {
    const keys = space.keyList();
    const members = keys.map((k) => [...iterate(space.spaces[k], (items as Record<string, unknown>)[k])]);
    const n = members.length ? members[0].length : 0;
    for (let i = 0; i < n; i++) {
      const out: Record<string, unknown> = {};
      keys.forEach((k, j) => (out[k] = members[j][i]));
      yield out;
    }
    return;
  }
  throw new TypeError(`Unable to iterate over a space of type ${space.constructor.name}`);
}

/** A deep copy of a batch of `space`'s values (what `deepcopy` does to a numpy batch). */
export function copy_batch(space: Space<any>, batch: unknown): unknown {
  if (space instanceof Tuple) return space.spaces.map((s, k) => copy_batch(s, (batch as unknown[])[k]));
  if (space instanceof Dict) {
    const out: Record<string, unknown> = {};
    for (const k of space.keyList()) out[k] = copy_batch(space.spaces[k], (batch as Record<string, unknown>)[k]);
    return out;
  }
  return (batch as BoxArray).slice();
}
