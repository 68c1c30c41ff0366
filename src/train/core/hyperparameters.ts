/**
 * Hyperparameters: each algorithm declares what it accepts (type, range,
 * meaning); `resolveHyperparameters` merges the per-environment defaults of
 * `defaults.ts` with what the caller gave and reports every problem at once.
 */
import { PalestraError } from '../../errors';

/** One accepted hyperparameter. */
export type HyperparameterDef =
  | { type: 'int' | 'number'; min?: number; max?: number; exclusiveMin?: boolean; doc: string }
  | { type: 'boolean'; doc: string }
  | { type: 'choice'; choices: string[]; doc: string };

/** Name → definition. */
export type HyperparameterSchema = Record<string, HyperparameterDef>;

/** Resolved values. */
export type Hyperparameters = Record<string, number | boolean | string>;

/** Settings every algorithm accepts: periodic evaluation. */
export const COMMON_HYPERPARAMETERS: HyperparameterSchema = {
  eval_freq: {
    type: 'int',
    min: 0,
    doc: 'Environment steps between deterministic evaluations (0: only at the end); early stopping checks at each one.',
  },
  eval_episodes: { type: 'int', min: 1, max: 1000, doc: 'Episodes per periodic evaluation.' },
};

function describe(def: HyperparameterDef): string {
  if (def.type === 'boolean') return 'a boolean';
  if (def.type === 'choice') return `one of ${def.choices.map((c) => JSON.stringify(c)).join(', ')}`;
  const kind = def.type === 'int' ? 'an integer' : 'a number';
  const lo = def.min !== undefined ? `${def.exclusiveMin ? '>' : '≥'} ${def.min}` : '';
  const hi = def.max !== undefined ? `≤ ${def.max}` : '';
  return [kind, [lo, hi].filter(Boolean).join(' and ')].filter(Boolean).join(' ');
}

/** The problem with one value, or null. */
export function checkValue(name: string, def: HyperparameterDef, value: unknown): string | null {
  const want = `${name} must be ${describe(def)}, got ${JSON.stringify(value)}`;
  if (def.type === 'boolean') return typeof value === 'boolean' ? null : want;
  if (def.type === 'choice') return typeof value === 'string' && def.choices.includes(value) ? null : want;
  if (typeof value !== 'number' || !Number.isFinite(value)) return want;
  if (def.type === 'int' && !Number.isInteger(value)) return want;
  if (def.min !== undefined && (def.exclusiveMin ? value <= def.min : value < def.min)) return want;
  if (def.max !== undefined && value > def.max) return want;
  return null;
}

/**
 * Defaults overlaid with `given`; throws invalid_hyperparameters listing every
 * unknown name and every bad value, then any cross-field problems `check` finds.
 */
export function resolveHyperparameters(
  algorithm: string,
  schema: HyperparameterSchema,
  defaults: Hyperparameters,
  given: Record<string, unknown> = {},
  check?: (hp: Hyperparameters) => string[],
): Hyperparameters {
  const accepted = Object.keys(schema).sort();
  const errors: string[] = [];
  for (const name of Object.keys(given)) {
    if (!(name in schema)) errors.push(`unknown hyperparameter ${JSON.stringify(name)}`);
  }
  const hp: Hyperparameters = { ...defaults };
  for (const [name, value] of Object.entries(given)) {
    if (!(name in schema)) continue;
    const problem = checkValue(name, schema[name], value);
    if (problem) errors.push(problem);
    else hp[name] = value as number | boolean | string;
  }
  if (errors.length === 0 && check) errors.push(...check(hp));
  if (errors.length > 0) {
    throw new PalestraError('invalid_hyperparameters', `Invalid hyperparameters for ${algorithm}: ${errors.join('; ')}`, {
      errors,
      accepted,
    });
  }
  return hp;
}
