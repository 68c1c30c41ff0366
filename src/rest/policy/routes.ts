/**
 * Pathmind's policy routes for one served model: `POST /predict/`,
 * `/predict_deterministic/`, `/distribution/`, `/predict_raw/` and
 * `GET /schema`. Which model answers is the resolver's choice (the one named
 * at start, or the one in the path), so the same routes serve both.
 */
import type { ValidateFunction } from 'ajv';
import type { FastifyInstance, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import type { LoadedModel } from '../../models/cache';
import { validationError, validationFaults } from '../fastapi';
import { httpProtocolFile } from '../route_schemas';
import { act, distribution } from './answers';
import { type JsonSchema, type ObservationSchema, flatten, schemaDocument, schemaSize } from './observation_schema';
import { policySchemas } from './schemas';

/** A model ready to serve, with its observation schema and that schema's compiled check. */
export interface ServedModel {
  loaded: LoadedModel;
  schema: ObservationSchema;
  validate: ValidateFunction;
}

/** Finds the model a request is for (model_not_found when there is none the caller may see). */
export type ModelResolver = (request: FastifyRequest) => Promise<ServedModel>;

/** The flat observation of a named-field body; 422 naming the field when it does not match. */
function namedObservation(served: ServedModel, body: unknown): number[] {
  if (!served.validate(body)) throw validationError(validationFaults((served.validate.errors ?? []) as FastifySchemaValidationError[], 'body', body));
  return flatten(served.schema, body as Record<string, unknown>);
}

/** The flat observation of a `{obs: [...]}` body; 422 on `obs` when its length is not the model's. */
function rawObservation(served: ServedModel, body: { obs: number[] }): number[] {
  const size = schemaSize(served.schema);
  if (body.obs.length !== size) {
    const [type, bound] = body.obs.length < size ? ['too_short', 'at least'] : ['too_long', 'at most'];
    throw validationError([{ loc: ['body', 'obs'], msg: `List should have ${bound} ${size} items after validation, not ${body.obs.length}`, type, input: body.obs }]);
  }
  return body.obs;
}

/** Options of the routes: what to resolve, how the docs show the body, and path parameters. */
export interface PolicyRouteOptions {
  resolve: ModelResolver;
  /** The observation body schema shown in the docs (a served model's own; else the generic one). */
  observationBody?: JsonSchema;
  /** Path parameters' schema (`{name}` under `/models/`). */
  params?: JsonSchema;
  tags: string[];
  /** Put before each route's operationId (`predict`, ...), which must be unique in the document. */
  operationPrefix: string;
}

/** Registers the five routes on `app` (under whatever prefix it has). */
export function registerPolicyRoutes(app: FastifyInstance, { resolve, observationBody, params, tags, operationPrefix }: PolicyRouteOptions): void {
  const defs = policySchemas();
  const shapes = httpProtocolFile<{ detail: JsonSchema; validation: JsonSchema }>('errors.json');
  const detail = { description: 'Error', ...shapes.detail };
  const errors = { 400: detail, 403: detail, 404: detail, 422: { description: 'Validation Error', ...shapes.validation } };
  const observation = observationBody ?? defs.named_observation;
  const base = (operation: string) => ({ tags, operationId: `${operationPrefix}${operation}`, ...(params ? { params } : {}) });
  const policyOf = (s: ServedModel) => s.loaded.policy;
  const spaceOf = (s: ServedModel) => s.loaded.meta.policy.observation_space;

  app.post(
    '/predict/',
    { schema: { ...base('predict'), summary: 'An action sampled from the policy for an observation given as named fields', body: observation, response: { 200: defs.action, ...errors } } },
    async (request) => {
      const served = await resolve(request);
      return act(policyOf(served), spaceOf(served), namedObservation(served, request.body), false);
    },
  );
  app.post(
    '/predict_deterministic/',
    { schema: { ...base('predict_deterministic'), summary: 'The most likely action (the mean for a Box action space)', body: observation, response: { 200: defs.action, ...errors } } },
    async (request) => {
      const served = await resolve(request);
      return act(policyOf(served), spaceOf(served), namedObservation(served, request.body), true);
    },
  );
  app.post(
    '/distribution/',
    { schema: { ...base('distribution'), summary: "Every discrete action's probability", body: observation, response: { 200: defs.distribution, ...errors } } },
    async (request) => {
      const served = await resolve(request);
      return distribution(policyOf(served), spaceOf(served), namedObservation(served, request.body));
    },
  );
  app.post(
    '/predict_raw/',
    { schema: { ...base('predict_raw'), summary: 'An action sampled for an observation already flattened', body: defs.raw_observation, response: { 200: defs.action, ...errors } } },
    async (request) => {
      const served = await resolve(request);
      return act(policyOf(served), spaceOf(served), rawObservation(served, request.body as { obs: number[] }), false);
    },
  );
  app.get(
    '/schema',
    { schema: { ...base('schema'), summary: "The observation's fields, in the schema.yaml layout", response: { 200: defs.schema_document, 403: detail, 404: detail } } },
    async (request) => schemaDocument((await resolve(request)).schema),
  );
}
