/**
 * Hyperparameters: each algorithm's are a JSON Schema in
 * `protocol/hyperparameters/` (types, ranges, defaults, meanings), the same
 * files the TypeScript types are generated from. `resolveHyperparameters`
 * validates what a caller gave with ajv, then lays it over the
 * per-environment defaults and the schema's own, reporting every problem at once.
 */
import Ajv2020, { ErrorObject } from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESERVED_NAMES } from '../../envs/registration';
import { PalestraError } from '../../errors';
import { ALGORITHM_NAMES, type AlgorithmName, type Hyperparameters as GivenHyperparameters } from '../../generated/protocol';

export type { AlgorithmName, GivenHyperparameters };

/** An algorithm's hyperparameters with every default filled in: what its loop reads. */
export type ResolvedHyperparameters<A extends AlgorithmName = AlgorithmName> = Required<GivenHyperparameters[A]>;

/** One hyperparameter's schema. */
export interface HyperparameterProperty {
  type?: 'integer' | 'number' | 'boolean';
  enum?: string[];
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  /** A choice of a fixed word or a number (SAC's `ent_coef`: "auto" or α). */
  anyOf?: ({ const: string } | Omit<HyperparameterProperty, 'default' | 'description' | 'anyOf'>)[];
  default: number | boolean | string;
  description: string;
}

/** An algorithm's schema file. */
export interface HyperparameterSchema {
  $id: string;
  algorithm: AlgorithmName;
  summary: string;
  type: 'object';
  additionalProperties: false;
  properties: Record<string, HyperparameterProperty>;
}

const DIR = join(__dirname, '..', '..', '..', 'protocol', 'hyperparameters');
const ajv = new Ajv2020({ allErrors: true, strict: false });
const schemas = new Map<string, { schema: HyperparameterSchema; validate: ReturnType<typeof ajv.compile> }>();

/** True if `name` is an algorithm the protocol defines. */
export function isAlgorithmName(name: string): name is AlgorithmName {
  return (ALGORITHM_NAMES as readonly string[]).includes(name);
}

/** The schema of an algorithm's hyperparameters, from `protocol/hyperparameters/<name>.json`. */
export function hyperparameterSchema(algorithm: AlgorithmName): HyperparameterSchema {
  let entry = schemas.get(algorithm);
  if (!entry) {
    const schema = JSON.parse(readFileSync(join(DIR, `${algorithm}.json`), 'utf8')) as HyperparameterSchema;
    entry = { schema, validate: ajv.compile(schema) };
    schemas.set(algorithm, entry);
  }
  return entry.schema;
}

/** The schema's defaults. */
export function schemaDefaults<A extends AlgorithmName>(algorithm: A): ResolvedHyperparameters<A> {
  const props = hyperparameterSchema(algorithm).properties;
  return Object.fromEntries(Object.entries(props).map(([name, p]) => [name, p.default])) as ResolvedHyperparameters<A>;
}

/** "an integer ≥ 1 and ≤ 256", from a property's schema. */
function describe(p: Omit<HyperparameterProperty, 'default' | 'description'>): string {
  if (p.anyOf) return p.anyOf.map((c) => ('const' in c ? JSON.stringify(c.const) : describe(c))).join(' or ');
  if (p.enum) return `one of ${p.enum.map((c) => JSON.stringify(c)).join(', ')}`;
  if (p.type === 'boolean') return 'a boolean';
  const kind = p.type === 'integer' ? 'an integer' : 'a number';
  const lo = p.exclusiveMinimum !== undefined ? `> ${p.exclusiveMinimum}` : p.minimum !== undefined ? `≥ ${p.minimum}` : '';
  const hi = p.maximum !== undefined ? `≤ ${p.maximum}` : '';
  return [kind, [lo, hi].filter(Boolean).join(' and ')].filter(Boolean).join(' ');
}

/** One sentence per offending name, in the order ajv found them. */
function problems(schema: HyperparameterSchema, given: Record<string, unknown>, errors: ErrorObject[]): string[] {
  const out = new Map<string, string>();
  for (const e of errors) {
    if (e.keyword === 'additionalProperties') {
      const name = String((e.params as { additionalProperty: string }).additionalProperty);
      out.set(name, RESERVED_NAMES.has(name) ? `${JSON.stringify(name)} is a reserved name` : `unknown hyperparameter ${JSON.stringify(name)}`);
    } else if (e.instancePath.startsWith('/')) {
      const name = e.instancePath.slice(1).split('/')[0];
      const p = schema.properties[name];
      if (p && !out.has(name)) out.set(name, `${name} must be ${describe(p)}, got ${JSON.stringify(given[name])}`);
    } else {
      out.set('', `hyperparameters ${e.message ?? 'are invalid'}`);
    }
  }
  return [...out.values()];
}

/**
 * The schema's defaults overlaid with the environment's and then with
 * `given`; throws invalid_hyperparameters listing every unknown name and bad
 * value, then any cross-field problems `check` finds.
 */
export function resolveHyperparameters<A extends AlgorithmName>(
  algorithm: A,
  defaults: GivenHyperparameters[A],
  given: Record<string, unknown> = {},
  check?: (hp: ResolvedHyperparameters<A>) => string[],
): ResolvedHyperparameters<A> {
  const schema = hyperparameterSchema(algorithm);
  const { validate } = schemas.get(algorithm)!;
  const accepted = Object.keys(schema.properties).sort();
  const errors = validate(given) ? [] : problems(schema, given, validate.errors ?? []);
  const hp = { ...schemaDefaults(algorithm), ...defaults, ...(given as GivenHyperparameters[A]) };
  if (errors.length === 0 && check) errors.push(...check(hp));
  if (errors.length > 0) {
    throw new PalestraError('invalid_hyperparameters', `Invalid hyperparameters for ${algorithm}: ${errors.join('; ')}`, { errors, accepted });
  }
  return hp;
}
