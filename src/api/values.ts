/**
 * Canonical values: what the API answers, in Gymnasium's shapes. Numbers stay
 * numbers (±Infinity and NaN included) and arrays stay typed arrays; an array
 * with other than one dimension travels as an `NDArray` (numpy's data and shape),
 * so each dialect can nest it as it likes.
 */

import { nestArray as nestFlat } from '../envs/spaces/box';

/** A numpy-like array: flat row-major data and its shape (`[]` for a 0-d array, a scalar). */
export { NDArray } from '../envs/utils/ndarray';

/** The number of elements of an array of this shape. */
export function product(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major nesting of a flat list into `shape` (a scalar for shape []); `map` converts each element. */
export function nestArray<T>(flat: ArrayLike<number>, shape: readonly number[], map: (v: number) => T): unknown {
  return nestFlat(Array.from(flat, map), shape);
}

/** Whether a value is a typed array (a DataView is not). */
export function isTypedArray(x: unknown): x is ArrayLike<number> & ArrayBufferView {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/** numpy's `bool_` arrays (a vector env's terminations, its infos' `_key` masks): one byte per element, 0 or 1. */
export { BoolArray } from '../envs/vector/utils/bool_array';
