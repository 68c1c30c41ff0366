/**
 * The protocol: every method's params and result schemas from `protocol/`,
 * compiled once by ajv. Requests are validated here before any method runs.
 */
import Ajv2020, { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorName, PalestraError } from '../errors';

/** The protocol's version, reported by `hello` and `health`. */
export const PROTOCOL_VERSION = '1.0';

/** Where the schemas live, in the source tree and in the installed package alike. */
export const PROTOCOL_DIR = join(__dirname, '..', '..', 'protocol');

/** One method's schema file. */
export interface MethodSchema {
  method: string;
  summary: string;
  /** Param names in order, for JSON-RPC positional params. */
  positional: string[];
  params: Record<string, unknown>;
  result: Record<string, unknown>;
  gymie_result?: Record<string, unknown>;
}

function readJSON<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Reads the method schemas (and frames) from `protocol/`. */
export function loadMethodSchemas(dir = PROTOCOL_DIR): MethodSchema[] {
  return readdirSync(join(dir, 'methods'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => readJSON<MethodSchema>(join(dir, 'methods', f)));
}

/** Compiled validators for every method's params and result. */
export class Protocol {
  readonly ajv = new Ajv2020({ allErrors: true, strict: false });
  readonly methods = new Map<string, MethodSchema>();
  private readonly params = new Map<string, ValidateFunction>();
  private readonly results = new Map<string, ValidateFunction>();
  private readonly gymieResults = new Map<string, ValidateFunction>();
  private readonly frames = new Map<string, ValidateFunction>();
  /** Shared definitions whose failures are a catalogue error of their own (`x-error`), by schema path. */
  private readonly definitionErrors: { path: string; name: ErrorName; description: string }[] = [];

  /** The shared definitions of `defs.json`, by name. */
  private readonly definitions: Record<string, unknown>;

  constructor(dir = PROTOCOL_DIR) {
    const defs = readJSON<{ definitions: Record<string, { 'x-error'?: ErrorName; description?: string }> }>(join(dir, 'defs.json'));
    this.definitions = defs.definitions;
    this.ajv.addSchema(defs);
    for (const [key, def] of Object.entries(defs.definitions)) {
      if (def['x-error']) this.definitionErrors.push({ path: `defs.json#/definitions/${key}/`, name: def['x-error'], description: def.description ?? '' });
    }
    for (const schema of loadMethodSchemas(dir)) {
      this.methods.set(schema.method, schema);
      this.params.set(schema.method, this.ajv.compile(schema.params));
      this.results.set(schema.method, this.ajv.compile(schema.result));
      if (schema.gymie_result) this.gymieResults.set(schema.method, this.ajv.compile(schema.gymie_result));
    }
    let frameFiles: string[] = [];
    try {
      frameFiles = readdirSync(join(dir, 'frames')).filter((f) => f.endsWith('.json'));
    } catch {
      // No pushed frames defined yet.
    }
    for (const f of frameFiles) {
      const frame = readJSON<{ method: string; params: Record<string, unknown> }>(join(dir, 'frames', f));
      this.frames.set(frame.method, this.ajv.compile(frame.params));
    }
  }

  /**
   * A copy of a schema with each `defs.json` reference replaced by the definition
   * itself, for readers that take one schema alone (Fastify's route schemas and
   * the OpenAPI document made from them).
   */
  inlineDefinitions<T>(schema: T): T {
    const PREFIX = 'defs.json#/definitions/';
    const inline = (x: unknown): unknown => {
      if (Array.isArray(x)) return x.map(inline);
      if (x === null || typeof x !== 'object') return x;
      const o = x as Record<string, unknown>;
      if (typeof o.$ref === 'string' && o.$ref.startsWith(PREFIX)) {
        const { $ref, ...rest } = o;
        return { ...(inline(this.definitions[($ref as string).slice(PREFIX.length)]) as object), ...(inline(rest) as object) };
      }
      return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, inline(v)]));
    };
    return inline(schema) as T;
  }

  /**
   * Normalises params (positional arrays become objects; absent becomes {})
   * and validates them; throws invalid_params with the schema's complaints.
   */
  checkParams(method: string, params: unknown): Record<string, unknown> {
    const schema = this.methods.get(method);
    const validate = this.params.get(method);
    if (!schema || !validate) throw new PalestraError('method_not_found', `Method ${method} not found`);
    let named: unknown = params ?? {};
    if (Array.isArray(named)) {
      if (named.length > schema.positional.length) {
        throw new PalestraError('invalid_params', `${method} takes at most ${schema.positional.length} positional params`);
      }
      const obj: Record<string, unknown> = {};
      named.forEach((v, i) => {
        if (v !== undefined) obj[schema.positional[i]] = v;
      });
      named = obj;
    }
    if (!validate(named)) {
      const errors = describeErrors(validate.errors);
      const own = this.definitionError(validate.errors ?? []);
      if (own) {
        const where = validate.errors![0].instancePath;
        const value = where.split('/').slice(1).reduce<any>((v, k) => v?.[k], named);
        const shown = JSON.stringify(value)?.slice(0, 60) ?? String(value);
        throw new PalestraError(own.name, `Invalid ${where.slice(1).replace(/\//g, '.')} for ${method} (got ${shown}): ${own.description}`, { errors });
      }
      throw new PalestraError('invalid_params', `Invalid params for ${method}: ${errors.join('; ')}`, { errors });
    }
    return named as Record<string, unknown>;
  }

  /** The `x-error` definition every failure lies in, when they all lie in one (a bad seed is `invalid_seed`). */
  private definitionError(errors: ErrorObject[]): Protocol['definitionErrors'][number] | undefined {
    const def = this.definitionErrors.find((d) => errors[0]?.schemaPath.startsWith(d.path));
    if (!def) return undefined;
    const where = errors[0].instancePath;
    return errors.every((e) => e.schemaPath.startsWith(def.path) && e.instancePath === where) ? def : undefined;
  }

  /** Validates a method's JSON-RPC result (used by tests and by `validateResults`). */
  checkResult(method: string, result: unknown): string[] {
    const validate = this.results.get(method);
    if (!validate) return [`no result schema for ${method}`];
    return validate(result) ? [] : describeErrors(validate.errors);
  }

  /** Validates a reply in Gymie's framing (methods whose Gymie reply differs declare `gymie_result`). */
  checkGymieResult(method: string, result: unknown): string[] {
    const validate = this.gymieResults.get(method) ?? this.results.get(method);
    if (!validate) return [`no result schema for ${method}`];
    return validate(result) ? [] : describeErrors(validate.errors);
  }

  /** Validates a pushed notification's params against `protocol/frames/`. */
  checkFrame(method: string, params: unknown): string[] {
    const validate = this.frames.get(method);
    if (!validate) return [`no frame schema for ${method}`];
    return validate(params) ? [] : describeErrors(validate.errors);
  }

  /** Method names, sorted. */
  names(): string[] {
    return [...this.methods.keys()].sort();
  }
}

function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'params';
    if (e.keyword === 'additionalProperties') {
      return `unknown param ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)}`;
    }
    if (e.keyword === 'required') return `missing param ${JSON.stringify((e.params as { missingProperty: string }).missingProperty)}`;
    return `${where} ${e.message}`;
  });
}

let shared: Protocol | null = null;

/** The protocol compiled once per process. */
export function protocol(): Protocol {
  if (!shared) shared = new Protocol();
  return shared;
}
