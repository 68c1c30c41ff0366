/**
 * What every CLI command shares: one-line failures, flag parsing whose
 * mistakes are told in words (the nearest flag for a typo, "must be ≥ 0" for
 * a negative number), integer flags and KEY=VALUE pairs.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { nearest } from './did_you_mean';

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

/** `KEY=VALUE` pairs; values are read as JSON when they parse (numbers, booleans), else kept as text. */
export function pairs(flag: string, items: string[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of items ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) fail(`--${flag} takes KEY=VALUE, got ${JSON.stringify(item)}`);
    const value = item.slice(eq + 1);
    try {
      out[item.slice(0, eq)] = JSON.parse(value);
    } catch {
      out[item.slice(0, eq)] = value;
    }
  }
  return out;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** What `parseCommand` answers: typed flag values and the positional arguments. */
export type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: boolean; strict: true }>>;

const NUMBER = /^-\d+(\.\d*)?([eE][-+]?\d+)?$|^-\.\d+$|^-Infinity$/;

/**
 * `--port -1` as `--port=-1`: parseArgs would read `-1` as a short flag; joined,
 * the value reaches the flag's own check, which says what is allowed.
 */
function joinNegativeValues(args: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && i + 1 < args.length && NUMBER.test(args[i + 1])) {
      out.push(`${arg}=${args[i + 1]}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** The first mistake in `args` told in words, or null; `--help` names where the options are listed. */
function mistake(args: string[], options: Options, allowPositionals: boolean, help: string): string | null {
  const { tokens } = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true });
  const longNames = Object.keys(options).map((n) => `--${n}`);
  for (const token of tokens) {
    if (token.kind === 'positional' && !allowPositionals) return `unexpected argument ${JSON.stringify(token.value)}; ${help}`;
    if (token.kind !== 'option') continue;
    const option = options[token.name];
    if (!option) {
      if (NUMBER.test(token.rawName)) return `unexpected negative number ${token.rawName}; ${help}`;
      const guess = token.rawName.startsWith('--') ? nearest(token.rawName, longNames) : undefined;
      return guess ? `unknown option ${token.rawName}; did you mean ${guess}?` : `unknown option ${token.rawName}; ${help}`;
    }
    if (option.type === 'string' && token.value === undefined) return `${token.rawName} needs a value; ${help}`;
    if (option.type === 'boolean' && token.inlineValue) return `${token.rawName} takes no value (got ${JSON.stringify(token.value)})`;
  }
  return null;
}

/**
 * Parses a command's flags strictly; a mistake exits with one line saying
 * what was wrong (`unknown option --timestep; did you mean --timesteps?`).
 */
export function parseCommand<O extends Options>(command: string, args: string[], options: O, allowPositionals = false): Parsed<O> {
  const joined = joinNegativeValues(args, options);
  const help = `${command} --help lists the options`;
  const wrong = mistake(joined, options, allowPositionals, help);
  if (wrong) fail(wrong);
  try {
    return parseArgs({ args: joined, options, allowPositionals, strict: true });
  } catch (err) {
    // Anything the check above did not foresee still ends in one line.
    return fail(`${(err as Error).message.split('\n')[0]}; ${help}`);
  }
}
