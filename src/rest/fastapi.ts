/**
 * The error dialect of the FastAPI-style routes (the GRPO training API's and
 * Pathmind's): `{"detail": "..."}` with the catalogue's HTTP status, and a
 * request that does not match its schema answers 422 with FastAPI's list of
 * faults, each naming its field (`{"loc": ["body", "total_timesteps"], "msg",
 * "type"}`). The catalogue's `code` and `name` ride along, so a Palestra
 * client reads these errors as it reads every other.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import type { ValidateFunction } from 'ajv';
import { PalestraError } from '../errors';
import { httpError, logHttpError } from '../server/http_errors';
import { protocol } from '../server/protocol';

/** One fault in a 422 reply, as FastAPI (pydantic 2) writes it. */
export interface ValidationFault {
  loc: (string | number)[];
  msg: string;
  type: string;
  input?: unknown;
}

/** Where FastAPI says a fault is, by Fastify's name for the part of the request. */
const PLACES: Record<string, string> = { body: 'body', params: 'path', querystring: 'query', headers: 'header' };

const TYPE_NAMES: Record<string, [type: string, noun: string]> = {
  integer: ['int_type', 'a valid integer'],
  number: ['float_type', 'a valid number'],
  string: ['string_type', 'a valid string'],
  boolean: ['bool_type', 'a valid boolean'],
  array: ['list_type', 'a valid list'],
  object: ['dict_type', 'a valid dictionary'],
};

function valueAt(root: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k as string] : undefined), root);
}

/** Turns ajv's complaints into FastAPI's faults; `root` is the part of the request they are about. */
export function validationFaults(errors: readonly FastifySchemaValidationError[], context: string, root: unknown): ValidationFault[] {
  const place = PLACES[context] ?? context;
  const faults: ValidationFault[] = [];
  for (const e of errors) {
    const path: (string | number)[] = e.instancePath
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const params = e.params as Record<string, unknown>;
    const input = valueAt(root, path);
    let fault: ValidationFault;
    switch (e.keyword) {
      case 'required':
        fault = { loc: [place, ...path, String(params.missingProperty)], msg: 'Field required', type: 'missing' };
        break;
      case 'additionalProperties': {
        const extra = String(params.additionalProperty);
        fault = { loc: [place, ...path, extra], msg: 'Extra inputs are not permitted', type: 'extra_forbidden', input: valueAt(input, [extra]) };
        break;
      }
      case 'type': {
        const wanted = String(params.type).split(',').find((t) => t !== 'null') ?? String(params.type);
        const [type, noun] = TYPE_NAMES[wanted] ?? [`${wanted}_type`, `a valid ${wanted}`];
        fault = { loc: [place, ...path], msg: `Input should be ${noun}`, type, input };
        break;
      }
      case 'minimum':
        fault = { loc: [place, ...path], msg: `Input should be greater than or equal to ${params.limit}`, type: 'greater_than_equal', input };
        break;
      case 'exclusiveMinimum':
        fault = { loc: [place, ...path], msg: `Input should be greater than ${params.limit}`, type: 'greater_than', input };
        break;
      case 'maximum':
        fault = { loc: [place, ...path], msg: `Input should be less than or equal to ${params.limit}`, type: 'less_than_equal', input };
        break;
      case 'exclusiveMaximum':
        fault = { loc: [place, ...path], msg: `Input should be less than ${params.limit}`, type: 'less_than', input };
        break;
      case 'minItems':
        fault = { loc: [place, ...path], msg: `List should have at least ${params.limit} items after validation, not ${Array.isArray(input) ? input.length : 0}`, type: 'too_short', input };
        break;
      case 'maxItems':
        fault = { loc: [place, ...path], msg: `List should have at most ${params.limit} items after validation, not ${Array.isArray(input) ? input.length : 0}`, type: 'too_long', input };
        break;
      case 'minLength':
        fault = { loc: [place, ...path], msg: `String should have at least ${params.limit} characters`, type: 'string_too_short', input };
        break;
      case 'maxLength':
        fault = { loc: [place, ...path], msg: `String should have at most ${params.limit} characters`, type: 'string_too_long', input };
        break;
      case 'enum':
      case 'const': {
        const allowed = (params.allowedValues as unknown[] | undefined) ?? [params.allowedValue];
        fault = { loc: [place, ...path], msg: `Input should be ${allowed.map((v) => JSON.stringify(v)).join(' or ')}`, type: 'enum', input };
        break;
      }
      default:
        fault = { loc: [place, ...path], msg: e.message ?? 'Invalid value', type: 'value_error', input };
    }
    // A type error on a field that `anyOf` tried several ways is said once.
    if (!faults.some((f) => JSON.stringify(f.loc) === JSON.stringify(fault.loc))) faults.push(fault);
  }
  return faults;
}

/** The 422 error for faults: a catalogue error whose data carries FastAPI's list. */
export function validationError(faults: ValidationFault[]): PalestraError {
  const first = faults[0];
  const message = first ? `${first.loc.join('.')}: ${first.msg}` : 'The request does not match its schema';
  return new PalestraError('validation_error', message, { detail: faults });
}

/** The body of an error reply in FastAPI's shape, with the catalogue's code and name beside `detail`. */
export function fastapiBody(error: PalestraError): Record<string, unknown> {
  const { detail, ...data } = error.data as { detail?: unknown };
  const body: Record<string, unknown> = { detail: detail ?? error.message, code: error.code, name: error.errorName };
  if (detail !== undefined) body.message = error.message;
  if (Object.keys(data).length > 0) body.data = data;
  return body;
}

/** Maps anything a route of this dialect threw to a catalogue error: schema faults and unreadable JSON become 422. */
export function fastapiError(err: unknown, request: FastifyRequest): PalestraError {
  const failed = err as { validation?: FastifySchemaValidationError[]; validationContext?: string } | null;
  if (failed?.validation) {
    const context = failed.validationContext ?? 'body';
    const root = context === 'body' ? request.body : context === 'params' ? request.params : context === 'querystring' ? request.query : request.headers;
    return validationError(validationFaults(failed.validation, context, root));
  }
  const error = httpError(err, request);
  if (error.errorName === 'parse_error') return validationError([{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }]);
  return error;
}

/** Sends an error in this dialect. */
export function sendFastapiError(reply: FastifyReply, error: PalestraError): FastifyReply {
  return reply.code(error.entry.http_status).type('application/json; charset=utf-8').send(JSON.stringify(fastapiBody(error)));
}

/**
 * Puts a scope in this dialect: its routes' schemas are compiled by the
 * protocol's ajv (JSON Schema 2020-12, the same as every method's params, with
 * no coercion and no defaults written into the request), and its errors are
 * answered FastAPI's way.
 */
export function useFastapiDialect(app: FastifyInstance): void {
  const compiled = new WeakMap<object, ValidateFunction>();
  app.setValidatorCompiler(({ schema }) => {
    let validate = compiled.get(schema);
    if (!validate) compiled.set(schema, (validate = protocol().ajv.compile(schema)));
    const check = validate;
    return (data: unknown) => (check(data) ? { value: data } : { error: check.errors as unknown as FastifySchemaValidationError[] });
  });
  // Fastify's formatter would write one string; the handler reads the faults themselves.
  app.setSchemaErrorFormatter((errors, context) => Object.assign(new Error('The request does not match its schema'), { validation: errors, validationContext: context }));
  app.setErrorHandler((err, request, reply) => {
    const error = fastapiError(err, request);
    logHttpError(request, error, err);
    return sendFastapiError(reply, error);
  });
}
