/** What every CLI command shares: one-line failures and integer flags. */

/** Exits with a one-line message on stderr and exit code 1: no stack trace for a user's mistake. */
export function fail(message: string): never {
  process.stderr.write(`palestra: ${message}\n`);
  process.exit(1);
}

/** Reads an integer flag, or fails with a line naming the flag and the value. */
export function integer(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) fail(`--${name} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  return n;
}
