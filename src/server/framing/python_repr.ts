/**
 * Python's `repr`/`str` of JSON values, so Gymie close reasons read as
 * Gymie-Server wrote them. The walk is bounded: past `MAX_DEPTH` levels a value
 * prints as `...`, and it stops once the text is longer than a close reason can
 * hold anyway, so no client value can exhaust the stack or the heap here.
 */

/** Nesting depth past which a value prints as `...`. */
export const MAX_DEPTH = 64;

// Longer than any close reason (123 bytes): the rest would be cut anyway.
const MAX_CHARS = 512;

/** Python's repr of a JSON value: `{'a': 1, 'b': [True, None]}`. */
export function pythonRepr(value: unknown): string {
  const out: string[] = [];
  let length = 0;
  const put = (s: string): boolean => {
    out.push(s);
    length += s.length;
    return length <= MAX_CHARS;
  };
  // Answers false once the budget is spent, so every level stops at once.
  const walk = (v: unknown, depth: number): boolean => {
    if (v === null || typeof v !== 'object') return put(scalarRepr(v));
    if (depth >= MAX_DEPTH) return put('...');
    if (Array.isArray(v)) {
      if (!put('[')) return false;
      for (let i = 0; i < v.length; i++) {
        if (i > 0 && !put(', ')) return false;
        if (!walk(v[i], depth + 1)) return false;
      }
      return put(']');
    }
    if (!put('{')) return false;
    let first = true;
    for (const key of Object.keys(v)) {
      if (!first && !put(', ')) return false;
      first = false;
      if (!put(`${scalarRepr(key)}: `)) return false;
      if (!walk((v as Record<string, unknown>)[key], depth + 1)) return false;
    }
    return put('}');
  };
  walk(value, 0);
  return out.join('');
}

function scalarRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 1e16 ? String(value) : pythonFloatRepr(value);
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return String(value);
}

/**
 * Python's `repr(float)`: the shortest digits that read back as the same
 * double (JavaScript's choice too), in scientific notation when the decimal
 * exponent is below -4 or at least 16 (`1e+16`, `1e-05`, two exponent digits
 * at least), else positional with a point (`1234567890123456.0`, `0.0001`).
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // toExponential() without a count gives the shortest round-trip digits: "d.ddde±x".
  const [mantissa, exp] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const e = Number(exp);
  if (e < -4 || e >= 16) {
    const rest = digits.slice(1);
    return `${sign}${digits[0]}${rest ? `.${rest}` : ''}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  const whole = digits.slice(0, e + 1).padEnd(e + 1, '0');
  const fraction = digits.slice(e + 1);
  return `${sign}${whole}.${fraction || '0'}`;
}

/** Python's str(): strings bare, everything else as repr. */
export function pythonStr(value: unknown): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}
