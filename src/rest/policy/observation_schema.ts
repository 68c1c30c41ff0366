/**
 * An observation as named fields, the way Pathmind's policy server takes it:
 * an ordered list of fields, each a JSON Schema and a count of numbers, whose
 * values are flattened in declared order into the vector the policy reads.
 *
 * The fields come from the model's observation space (a Dict's keys; a Box's
 * `observation_names` saved with the model, else one `obs` array; Discrete
 * and Tuple as `obs`, `obs_0`, ...) or from the user's `schema.yaml`, in
 * either of the two layouts Pathmind's server has read: an OpenAPI-style
 * `Observation` object with typed, described properties, or an
 * `observations` map of `int`/`float`/`bool`/`List[...]` types.
 */
import { parse as parseYaml } from 'yaml';
import type { SpaceDescription } from '../../envs/spaces/space';
import { PalestraError } from '../../errors';

/** A JSON Schema, as plain data. */
export type JsonSchema = Record<string, unknown>;

/** One named field of an observation. */
export interface ObservationField {
  name: string;
  /** Its JSON Schema (number, integer, boolean, or an array of them). */
  schema: JsonSchema;
  /** How many numbers it adds to the flat observation. */
  size: number;
}

/** Every field, in the order the policy reads them. */
export interface ObservationSchema {
  fields: ObservationField[];
  /** Where it came from: the model's space, or a user's file. */
  source: 'space' | 'file';
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Numbers of a JSON bound (nested lists, `"Infinity"` strings), flattened to `size`. */
function bounds(bound: unknown, size: number): number[] {
  const out: number[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else out.push(typeof v === 'number' ? v : Number(v));
  };
  walk(bound);
  return out.length === 1 && size > 1 ? new Array<number>(size).fill(out[0]) : out;
}

/** How many numbers one member of the space flattens to; throws for spaces a policy cannot read. */
export function flatSize(d: SpaceDescription): number {
  switch (d.name) {
    case 'Box':
      return product(d.shape as number[]);
    case 'Discrete':
      return 1;
    case 'MultiBinary':
    case 'MultiDiscrete':
      return product(d.shape as number[]);
    case 'Tuple':
      return (d.spaces as SpaceDescription[]).reduce((n, s) => n + flatSize(s), 0);
    case 'Dict':
      return Object.values(d.spaces as Record<string, SpaceDescription>).reduce((n, s) => n + flatSize(s), 0);
    default:
      throw new PalestraError('not_supported', `An observation space ${d.name} cannot be read as named fields`);
  }
}

const numberRange = (low: number, high: number): JsonSchema => ({
  ...(Number.isFinite(low) ? { minimum: low } : {}),
  ...(Number.isFinite(high) ? { maximum: high } : {}),
});

/** The JSON Schema of one member of a space, flattened (a scalar, or an array of its numbers). */
function fieldSchema(d: SpaceDescription, what: string): JsonSchema {
  if (d.name === 'Discrete') {
    const start = Number(d.start ?? 0);
    return { type: 'integer', minimum: start, maximum: start + Number(d.n) - 1, description: what };
  }
  if (d.name === 'Box') {
    const size = product(d.shape as number[]);
    const integer = String(d.dtype ?? 'float32').startsWith('int') || String(d.dtype).startsWith('uint');
    const low = bounds(d.low, size);
    const high = bounds(d.high, size);
    const item = (i: number): JsonSchema => ({ type: integer ? 'integer' : 'number', ...numberRange(low[i], high[i]) });
    if (size === 1 && (d.shape as number[]).length === 0) return { ...item(0), description: what };
    const same = low.every((v) => v === low[0]) && high.every((v) => v === high[0]);
    const items = same ? { items: item(0) } : { prefixItems: low.map((_, i) => item(i)), items: false };
    return { type: 'array', ...items, minItems: size, maxItems: size, description: `${what} (${size} numbers, flattened in row-major order)` };
  }
  if (d.name === 'MultiBinary') {
    const size = product(d.shape as number[]);
    return { type: 'array', items: { type: 'integer', minimum: 0, maximum: 1 }, minItems: size, maxItems: size, description: what };
  }
  if (d.name === 'MultiDiscrete') {
    const size = product(d.shape as number[]);
    const nvec = bounds(d.nvec, size);
    const start = d.start === undefined ? new Array<number>(size).fill(0) : bounds(d.start, size);
    const prefixItems = nvec.map((n, i) => ({ type: 'integer', minimum: start[i], maximum: start[i] + n - 1 }));
    return { type: 'array', prefixItems, items: false, minItems: size, maxItems: size, description: what };
  }
  throw new PalestraError('not_supported', `An observation space ${d.name} cannot be read as one field`);
}

/**
 * The fields of an observation space: a Dict's keys (in the space's order), a
 * 1-d Box's `names` when given (one number each), else one field `obs`
 * (`obs_0`, `obs_1`, ... for a Tuple's parts).
 */
export function schemaFromSpace(d: SpaceDescription, names?: string[] | null): ObservationSchema {
  const size = flatSize(d);
  if (d.name === 'Dict') {
    const spaces = d.spaces as Record<string, SpaceDescription>;
    return {
      source: 'space',
      fields: Object.entries(spaces).map(([key, s]) => ({ name: key, schema: fieldSchema(s, `The observation's ${JSON.stringify(key)} part`), size: flatSize(s) })),
    };
  }
  if (d.name === 'Tuple') {
    const spaces = d.spaces as SpaceDescription[];
    return { source: 'space', fields: spaces.map((s, i) => ({ name: `obs_${i}`, schema: fieldSchema(s, `Part ${i} of the observation`), size: flatSize(s) })) };
  }
  if (names && d.name === 'Box' && names.length === size) {
    const low = bounds(d.low, size);
    const high = bounds(d.high, size);
    return {
      source: 'space',
      fields: names.map((name, i) => ({ name, schema: { type: 'number', ...numberRange(low[i], high[i]), description: `Observation element ${i}` }, size: 1 })),
    };
  }
  return { source: 'space', fields: [{ name: 'obs', schema: fieldSchema(d, 'The observation'), size }] };
}

/** Pathmind's short type names (`int`, `List[float]`, ...) as JSON Schema. */
const SHORT_TYPES: Record<string, string> = { int: 'integer', float: 'number', bool: 'boolean', number: 'number', integer: 'integer', boolean: 'boolean' };

/** One declared property as a JSON Schema, or a config error naming it. */
function declaredField(name: string, raw: unknown, file: string): JsonSchema {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new PalestraError('invalid_params', `${file}: observation ${JSON.stringify(name)} must be an object with a \`type\``, { field: name });
  }
  const spec = raw as Record<string, unknown>;
  const type = spec.type;
  const list = typeof type === 'string' ? /^List\[(\w+)\]$/.exec(type) : null;
  const keep = (s: JsonSchema): JsonSchema => {
    for (const k of ['description', 'minimum', 'maximum', 'example', 'format', 'minItems', 'maxItems']) if (spec[k] !== undefined) s[k] = spec[k];
    return s;
  };
  if (list && SHORT_TYPES[list[1]]) return keep({ type: 'array', items: { type: SHORT_TYPES[list[1]] } });
  if (type === 'array') {
    const itemType = (spec.items as { type?: string } | undefined)?.type ?? 'number';
    if (!SHORT_TYPES[itemType]) throw new PalestraError('invalid_params', `${file}: observation ${JSON.stringify(name)} has items of type ${JSON.stringify(itemType)}; use number, integer or boolean`, { field: name });
    return keep({ type: 'array', items: { ...(spec.items as object), type: SHORT_TYPES[itemType] } });
  }
  if (typeof type === 'string' && SHORT_TYPES[type]) return keep({ type: SHORT_TYPES[type] });
  throw new PalestraError(
    'invalid_params',
    `${file}: observation ${JSON.stringify(name)} has type ${JSON.stringify(type)}; use number, integer, boolean or array (or int, float, bool, List[...])`,
    { field: name },
  );
}

/**
 * Reads a Pathmind `schema.yaml` and fits it to a policy whose observations
 * flatten to `size` numbers: arrays without a fixed length take what the
 * others leave (at most one may), and the total must be `size`.
 */
export function schemaFromYaml(text: string, size: number, file = 'schema.yaml'): ObservationSchema {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new PalestraError('invalid_params', `${file} is not valid YAML: ${(err as Error).message}`);
  }
  const root = (doc ?? {}) as Record<string, unknown>;
  const observation = root.Observation as Record<string, unknown> | undefined;
  const properties = (observation?.properties ?? root.observations) as Record<string, unknown> | undefined;
  if (properties === undefined || properties === null || typeof properties !== 'object' || Array.isArray(properties)) {
    throw new PalestraError('invalid_params', `${file} describes no observation: give \`Observation: {type: object, properties: {...}}\` or \`observations: {...}\``);
  }
  const fields: ObservationField[] = Object.entries(properties).map(([name, raw]) => {
    const schema = declaredField(name, raw, file);
    const fixed = schema.type !== 'array' ? 1 : schema.maxItems !== undefined && schema.maxItems === schema.minItems ? Number(schema.maxItems) : -1;
    return { name, schema, size: fixed };
  });
  if (fields.length === 0) throw new PalestraError('invalid_params', `${file} declares no observation fields`);
  const open = fields.filter((f) => f.size < 0);
  const known = fields.reduce((n, f) => n + Math.max(f.size, 0), 0);
  if (open.length > 1) {
    throw new PalestraError('invalid_params', `${file}: give minItems and maxItems to all but one of the lists ${open.map((f) => f.name).join(', ')}, so their lengths are known`);
  }
  if (open.length === 1) {
    const rest = size - known;
    if (rest < 1) throw new PalestraError('invalid_params', `${file}: the fields hold ${known} numbers before ${open[0].name}, the model reads ${size}`);
    open[0].size = rest;
    open[0].schema = { ...open[0].schema, minItems: rest, maxItems: rest };
  } else if (known !== size) {
    throw new PalestraError('invalid_params', `${file}: the fields flatten to ${known} numbers, the model reads observations of ${size}`, { expected: size, declared: known });
  }
  // Every declared field is needed to fill the vector, whatever `required` says.
  return { source: 'file', fields };
}

/** The JSON Schema of a request body holding every field (other keys are ignored, as pydantic ignores them). */
export function bodySchema(schema: ObservationSchema): JsonSchema {
  return {
    type: 'object',
    title: 'Observation',
    required: schema.fields.map((f) => f.name),
    properties: Object.fromEntries(schema.fields.map((f) => [f.name, f.schema])),
  };
}

/** The schema as `GET /schema` answers it: Pathmind's `Observation` object, which `--observation-schema` reads back. */
export function schemaDocument(schema: ObservationSchema): Record<string, unknown> {
  return { Observation: bodySchema(schema) };
}

/** Total numbers of a flattened observation. */
export function schemaSize(schema: ObservationSchema): number {
  return schema.fields.reduce((n, f) => n + f.size, 0);
}

/** The flat observation of a (validated) body: each field's numbers in order, booleans as 0 and 1. */
export function flatten(schema: ObservationSchema, body: Record<string, unknown>): number[] {
  const out: number[] = [];
  const push = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(push);
    else out.push(v === true ? 1 : v === false ? 0 : Number(v));
  };
  for (const f of schema.fields) push(body[f.name]);
  return out;
}

/**
 * A flat vector back into a member of the space as the policy's encoder takes
 * it: a Box's numbers, a Discrete's integer, a Tuple's list, a Dict's object.
 */
export function unflatten(d: SpaceDescription, flat: ArrayLike<number>, offset = 0): { value: unknown; next: number } {
  switch (d.name) {
    case 'Discrete':
      return { value: flat[offset], next: offset + 1 };
    case 'Tuple': {
      const out: unknown[] = [];
      let at = offset;
      for (const s of d.spaces as SpaceDescription[]) {
        const part = unflatten(s, flat, at);
        out.push(part.value);
        at = part.next;
      }
      return { value: out, next: at };
    }
    case 'Dict': {
      const out: Record<string, unknown> = {};
      let at = offset;
      for (const [k, s] of Object.entries(d.spaces as Record<string, SpaceDescription>)) {
        const part = unflatten(s, flat, at);
        out[k] = part.value;
        at = part.next;
      }
      return { value: out, next: at };
    }
    default: {
      const size = flatSize(d);
      return { value: Float32Array.from({ length: size }, (_, i) => flat[offset + i]), next: offset + size };
    }
  }
}
