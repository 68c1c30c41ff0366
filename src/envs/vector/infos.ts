/**
 * Vector infos as Gymnasium's `VectorEnv._add_info` builds them: each key of a
 * copy's info becomes an array over the copies, paired with a boolean mask
 * `_key` saying which copies gave it; nested dicts are batched key by key.
 */
import { intKeysOf } from '../core';
import { NDArray } from '../utils/ndarray';
import { BoolArray } from './utils/bool_array';

/** A vector environment's info: batched values and their `_key` masks. */
export type VectorInfo = Record<string, unknown>;

type ArrayCtor = new (n: number) => ArrayLike<number> & { [i: number]: number };

/** Whether a value is a dict in Python's sense: a plain object, not an array or a class instance. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Whether a value is a typed array (a DataView is not). */
function isTypedArray(x: unknown): x is ArrayLike<number> & ArrayBufferView {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/** Number batches typed int64 (their first value was a Python int): values are truncated as numpy's int cast does. */
const intBatches = new WeakSet<Float64Array>();

/**
 * The array that holds one key's values over `n` copies, shaped by the first
 * value seen, as numpy would type it: numbers in a Float64Array (holding int64
 * values, truncated, when the copy's info marks the key as a Python int: see
 * INT_INFO_KEYS), booleans in a
 * BoolArray, a typed array or NDArray of shape `s` in an NDArray of shape
 * `[n, ...s]` of the same element type, anything else in an array of nulls.
 */
function emptyBatch(value: unknown, n: number, isInt: boolean): unknown {
  if (typeof value === 'number') {
    const batch = new Float64Array(n);
    if (isInt) intBatches.add(batch);
    return batch;
  }
  if (typeof value === 'boolean') return new BoolArray(n);
  if (isTypedArray(value)) {
    const Ctor = value.constructor as ArrayCtor;
    return new NDArray(new Ctor(n * value.length), [n, value.length]);
  }
  if (value instanceof NDArray) {
    const size = value.data.length;
    const Ctor = (isTypedArray(value.data) ? value.data.constructor : Float64Array) as ArrayCtor;
    return new NDArray(new Ctor(n * size), [n, ...value.shape]);
  }
  return new Array<unknown>(n).fill(null);
}

/** Writes copy `i`'s value into a batch made by `emptyBatch`. */
function setBatched(batch: unknown, i: number, value: unknown): void {
  if (batch instanceof NDArray) {
    const data = batch.data as { [k: number]: number; length: number };
    const size = data.length / batch.shape[0];
    const src = (value instanceof NDArray ? value.data : value) as ArrayLike<number>;
    for (let k = 0; k < size; k++) data[i * size + k] = Number(src[k]);
  } else if (batch instanceof Float64Array) {
    batch[i] = intBatches.has(batch) ? Math.trunc(Number(value)) : Number(value);
  } else if (batch instanceof BoolArray) {
    batch[i] = value ? 1 : 0;
  } else {
    (batch as unknown[])[i] = value;
  }
}

/**
 * Adds copy `i`'s info to the vector info `infos` of `n` copies and answers it
 * (Gymnasium's `_add_info`). `final_obs` is kept as an array of each copy's own
 * observation (null for the others), as Gymnasium keeps it unbatched.
 */
export function add_info(infos: VectorInfo, info: Record<string, unknown>, i: number, n: number): VectorInfo {
  let intKeys: readonly string[] | undefined;
  for (const key in info) {
    intKeys ??= intKeysOf(info) ?? [];
    const value = info[key];
    let batch: unknown;
    if (key === 'final_obs') {
      batch = (infos.final_obs as unknown[] | undefined) ?? new Array<unknown>(n).fill(null);
      (batch as unknown[])[i] = value;
    } else if (isPlainObject(value)) {
      const existing = infos[key];
      batch = add_info(isPlainObject(existing) ? existing : {}, value, i, n);
    } else {
      batch = Object.prototype.hasOwnProperty.call(infos, key) ? infos[key] : emptyBatch(value, n, intKeys.includes(key));
      setBatched(batch, i, value);
    }
    const maskKey = `_${key}`;
    const mask = (infos[maskKey] as BoolArray | undefined) ?? new BoolArray(n);
    mask[i] = 1;
    infos[key] = batch;
    infos[maskKey] = mask;
  }
  return infos;
}
