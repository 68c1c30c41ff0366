/** Helpers shared by the classic-control environments, as Gymnasium's `classic_control/utils.py`. */

/** Reads `low`/`high` reset bounds from `options`, falling back to the defaults. */
export function maybeParseResetBounds(
  options: Record<string, unknown> | null | undefined,
  defaultLow: number,
  defaultHigh: number,
): [number, number] {
  if (!options) return [defaultLow, defaultHigh];
  const read = (key: string, fallback: number): number => {
    if (!(key in options)) return fallback;
    const v = options[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`reset option ${key} must be a finite number`);
    return v;
  };
  const low = read('low', defaultLow);
  const high = read('high', defaultHigh);
  if (low > high) throw new RangeError(`reset option low (${low}) is greater than high (${high})`);
  return [low, high];
}

/** Gymnasium's `verify_number_and_cast`: a reset option that must be a number. */
export function verifyNumberAndCast(x: unknown, name: string): number {
  const v = typeof x === 'string' && x.trim() !== '' ? Number(x) : x;
  if (typeof v !== 'number' || Number.isNaN(v)) throw new RangeError(`An option (${name}=${String(x)}) could not be converted to a float.`);
  return v;
}

/** numpy's `clip` for one float64: NaN stays NaN. */
export function clip(x: number, low: number, high: number): number {
  return x < low ? low : x > high ? high : x;
}
