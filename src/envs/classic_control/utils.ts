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
