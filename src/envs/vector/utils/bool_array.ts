/**
 * numpy's `bool_` arrays (terminations, truncations, the `_key` masks of vector
 * infos): one byte per element, 0 or 1, so the bytes are numpy's own. A class of
 * its own lets an encoder tell a boolean array from a uint8 observation.
 */
export class BoolArray extends Uint8Array {
  /** A BoolArray holding `Boolean(v)` for each element of `values`. */
  static fromValues(values: ArrayLike<unknown>): BoolArray {
    const out = new BoolArray(values.length);
    for (let i = 0; i < values.length; i++) out[i] = values[i] ? 1 : 0;
    return out;
  }
}
