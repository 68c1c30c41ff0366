/**
 * Errors the way FastAPI services answer them, for the routes their users
 * call (the policy-serving and training routes): `{"detail": "..."}` with
 * the catalogue's status, and a validation failure as 422 with
 * `{"detail": [{"loc": ["body", field], "msg", "type"}]}` in pydantic's words.
 */
import type { ErrorObject } from 'ajv';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { PalestraError } from '../errors';
import { httpError, logHttpError } from '../server/http_errors';

/** One entry of FastAPI's validation `detail`. */
export interface ValidationDetail {
  loc: (string | number)[];
  msg: string;
  type: string;
}

const TYPE_WORDS: Record<string, [string, string]> = {
  number: ['value is not a valid float', 'type_error.float'],
  integer: ['value is not a valid integer', 'type_error.integer'],
  boolean: ['value could not be parsed to a boolean', 'type_error.bool'],
  array: ['value is not a valid list', 'type_error.list'],
  object: ['value is not a valid dict', 'type_error.dict'],
  string: ['str type expected', 'type_error.str'],
};

/** An ajv error as pydantic words it, located under `where` (`body`, `query`, `path`). */
export function detailOf(error: ErrorObject, where: string): ValidationDetail {
  const loc: (string | number)[] = [where, ...error.instancePath.split('/').slice(1).map((p) => (/^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, '/').replace(/~0/g, '~')))];
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { loc: [...loc, String(params.missingProperty)], msg: 'field required', type: 'value_error.missing' };
    case 'type': {
      const [msg, type] = TYPE_WORDS[String(params.type).split(',')[0]] ?? [`value is not a valid ${params.type}`, 'type_error'];
      return { loc, msg, type };
    }
    case 'minimum':
      return { loc, msg: `ensure this value is greater than or equal to ${params.limit}`, type: 'value_error.number.not_ge' };
    case 'maximum':
      return { loc, msg: `ensure this value is less than or equal to ${params.limit}`, type: 'value_error.number.not_le' };
    case 'minItems':
      return { loc, msg: `ensure this value has at least ${params.limit} items`, type: 'value_error.list.min_items' };
    case 'maxItems':
    case 'items':
      return { loc, msg: `ensure this value has at most ${params.limit} items`, type: 'value_error.list.max_items' };
    case 'enum':
      return { loc, msg: `value is not a valid enumeration member; permitted: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`, type: 'type_error.enum' };
    default:
      return { loc, msg: error.message ?? 'value is not valid', type: `value_error.${error.keyword}` };
  }
}

/** The 422 error for failed checks, naming the first field in its message. */
export function unprocessable(details: ValidationDetail[]): PalestraError {
  const first = details[0];
  const where = first ? first.loc.slice(1).join('.') || first.loc[0] : 'body';
  return new PalestraError('unprocessable_entity', first ? `${where}: ${first.msg}` : 'The request is not valid', { detail: details });
}

/** A request validation failure that Fastify raised from a route's schema, as the 422 error. */
function fromFastifyValidation(err: FastifyError): PalestraError {
  const where = err.validationContext === 'querystring' ? 'query' : err.validationContext === 'params' ? 'path' : String(err.validationContext ?? 'body');
  return unprocessable((err.validation as ErrorObject[]).map((e) => detailOf(e, where)));
}

/** The body of an error in FastAPI's shape (the catalogue's code and name beside `detail`). */
export function fastapiBody(error: PalestraError): Record<string, unknown> {
  if (error.errorName === 'unprocessable_entity' && Array.isArray(error.data.detail)) return { detail: error.data.detail };
  return { detail: error.message, code: error.code, name: error.errorName };
}

/** The error handler of a FastAPI-style scope: maps, logs and sends `{"detail": ...}`. */
export function fastapiErrorHandler() {
  return (err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const fastifyError = err as FastifyError;
    const error = !(err instanceof PalestraError) && Array.isArray(fastifyError?.validation) ? fromFastifyValidation(fastifyError) : httpError(err, request);
    logHttpError(request, error, err);
    return reply.code(error.entry.http_status).type('application/json; charset=utf-8').send(JSON.stringify(fastapiBody(error)));
  };
}
