/**
 * JSON-RPC's number and value spelling: canonical values as JSON text, with
 * infinities and NaN as the strings "Infinity", "-Infinity" and "NaN" (both
 * JavaScript's `Number()` and Python's `float()` read them back).
 */
import { jsonWriter } from './json_writer';

/** A non-finite number as the string that stands for it. */
function nonFinite(x: number): string {
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

/** A canonical value as JSON-RPC's JSON text. */
export const encodeJsonRpc = jsonWriter(nonFinite);

/** A canonical value as a plain JSON value in JSON-RPC's spelling (for storing or comparing). */
export function jsonRpcValue(value: unknown): unknown {
  return JSON.parse(encodeJsonRpc(value));
}
