/**
 * The policy-serving room: Pathmind's policy routes at the root for the
 * model named at start (`--serve-model`, its fields from its space or from
 * `--observation-schema`), the same routes for every model under
 * `/models/{name}/`, and the model's TensorFlow.js export and import. Errors
 * here answer as FastAPI does (`{"detail": ...}`, 422 naming the field);
 * keys are the gate's, so every route needs one when the server has keys.
 */
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import type { FastifyInstance, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import type { ServerState } from '../../api/context';
import { mayAccess, type Principal } from '../../api/principal';
import { PalestraError } from '../../errors';
import type { LoadedModel } from '../../models/cache';
import { MODEL_FORMAT, type ModelMeta, type StoredModel, checkModelName, readModelFile } from '../../models/store';
import { type LayersExport, MODEL_JSON, WEIGHTS_BIN, checkModelBytes, exportLayers, importLayers, unzipExport, zipExport } from '../../models/tfjs_export';
import { loadBackend } from '../../train/core/backend';
import { Policy } from '../../train/core/policy';
import { type TrainingServices, trainingServices } from '../../train/plugin';
import { useFastapiDialect } from '../fastapi';
import { httpProtocolFile } from '../route_schemas';
import { type ObservationSchema, bodySchema, flatSize, schemaFromSpace, schemaFromYaml, schemaSize } from './observation_schema';
import { type ServedModel, registerPolicyRoutes } from './routes';
import { policySchemas } from './schemas';

/** Exports kept ready, by model name (an export builds a TensorFlow.js model). */
const EXPORTS_KEPT = 8;

/** The observation schema a user gave for the served model, read and fitted to its space. */
export function readObservationSchema(file: string, observationSpace: ModelMeta['policy']['observation_space']): ObservationSchema {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PalestraError('invalid_params', `Cannot read the observation schema ${file}: ${(err as Error).message}`);
  }
  return schemaFromYaml(text, flatSize(observationSpace), file);
}

/** Serves models: resolves names to policies with their compiled observation checks. */
class ModelServer {
  // Bodies are checked as they come: no coercion, every error reported, schema formats (`float`) are documentation.
  readonly ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
  // By loaded copy (a changed file is a new copy), then by the schema given in place of the derived one.
  private readonly served = new WeakMap<LoadedModel, Map<ObservationSchema | null, ServedModel>>();
  private readonly exports = new Map<string, { loaded: LoadedModel; files: LayersExport }>();

  constructor(
    readonly state: ServerState,
    readonly services: TrainingServices,
  ) {}

  /** The model by name if `principal` may see it (model_not_found as for a name never saved); `schema` replaces the derived one. */
  async model(name: string, principal: Principal | null, schema?: ObservationSchema): Promise<ServedModel> {
    const loaded = await this.services.cache.get(checkModelName(name));
    if (principal && !mayAccess(principal, loaded.meta.owner)) throw new PalestraError('model_not_found', `No saved model named ${name}`, { model: name });
    let bySchema = this.served.get(loaded);
    if (!bySchema) this.served.set(loaded, (bySchema = new Map()));
    let served = bySchema.get(schema ?? null);
    if (!served) {
      const fields = schema ?? schemaFromSpace(loaded.meta.policy.observation_space, loaded.meta.observation_names);
      if (schemaSize(fields) !== flatSize(loaded.meta.policy.observation_space)) {
        throw new PalestraError('not_supported', `The observation schema of ${name} flattens to ${schemaSize(fields)} numbers; the model now reads ${flatSize(loaded.meta.policy.observation_space)}`);
      }
      served = { loaded, schema: fields, validate: this.ajv.compile(bodySchema(fields)) };
      bySchema.set(schema ?? null, served);
    }
    return served;
  }

  /** The model's TensorFlow.js export, rebuilt only when the model file changed. */
  async export(name: string, principal: Principal): Promise<LayersExport> {
    const { loaded } = await this.model(name, principal);
    const kept = this.exports.get(name);
    if (kept && kept.loaded === loaded) return kept.files;
    const { tf } = await loadBackend(this.state.options.backend);
    const files = await exportLayers(tf, { meta: loaded.meta, params: loaded.policy.params });
    this.exports.delete(name);
    this.exports.set(name, { loaded, files });
    while (this.exports.size > EXPORTS_KEPT) this.exports.delete(this.exports.keys().next().value as string);
    return files;
  }
}

/** What `POST /models/import` read: a zip export, or a Palestra model file. */
function readUpload(body: unknown, maxModelBytes: number): StoredModel {
  if (Buffer.isBuffer(body)) return importLayers(unzipExport(new Uint8Array(body)), maxModelBytes);
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    if ('modelTopology' in body) {
      throw new PalestraError('model_import_invalid', `A ${MODEL_JSON} alone has no weights; send the zip of ${MODEL_JSON} and ${WEIGHTS_BIN} (Content-Type: application/zip)`, {
        reason: 'weights missing',
      });
    }
    try {
      return readModelFile(body, String((body as { name?: unknown }).name ?? 'upload'));
    } catch (err) {
      const reason = (err as Error).message;
      throw new PalestraError('model_import_invalid', `The file is not a Palestra model file: ${reason}`, { reason });
    }
  }
  throw new PalestraError('model_import_invalid', 'Send a TensorFlow.js export (application/zip) or a Palestra model file (application/json)', { reason: 'no file' });
}

/** Comma-separated observation names, checked against the model's observation space. */
function observationNames(text: string | undefined, meta: ModelMeta): string[] | null | undefined {
  if (text === undefined) return meta.observation_names;
  const names = text.split(',').map((n) => n.trim());
  const space = meta.policy.observation_space;
  if (space.name !== 'Box' || names.some((n) => n === '') || new Set(names).size !== names.length || names.length !== flatSize(space)) {
    throw new PalestraError('invalid_params', `observation_names must be ${flatSize(space)} distinct names for this model's ${space.name} observation, comma-separated`);
  }
  return names;
}

/** Saves an upload under the caller's name, within the model size and quota rules. */
async function importModel(server: ModelServer, request: FastifyRequest): Promise<{ imported: string; model: unknown }> {
  const { store, cache } = server.services;
  const options = server.state.options;
  const query = request.query as { name?: string; overwrite?: string; observation_names?: string };
  const upload = readUpload(request.body, options.maxModelBytes);
  const name = checkModelName(query.name ?? upload.meta.name);
  checkModelBytes(upload.meta.policy, options.maxModelBytes);
  try {
    new Policy(upload.meta.policy).load(upload.params);
  } catch (err) {
    const reason = (err as Error).message;
    throw new PalestraError('model_import_invalid', `The model's weights do not fit its policy: ${reason}`, { reason });
  }
  const principal = request.principal;
  const overwrite = query.overwrite === 'true';
  const existing = (await store.list()).find((m) => m.name === name);
  if (existing && overwrite && !mayAccess(principal, existing.owner)) throw new PalestraError('model_exists', `A model named ${name} already exists`, { model: name });
  if (!existing || !overwrite) {
    const owned = (await store.list()).filter((m) => (m.owner ?? null) === principal.name).length;
    if (owned >= options.maxModelsPerUser) {
      throw new PalestraError('quota_exceeded', `You already own ${owned} saved models, the most allowed (--max-models-per-user); delete one first`, {
        limit: 'max_models_per_user',
        max_models_per_user: options.maxModelsPerUser,
      });
    }
  }
  const meta: ModelMeta = {
    ...upload.meta,
    format: MODEL_FORMAT,
    name,
    owner: principal.name,
    session: null,
    observation_names: observationNames(query.observation_names, upload.meta) ?? null,
    curve: upload.meta.curve ?? [],
    evaluations: upload.meta.evaluations ?? [],
  };
  await store.save(meta, upload.params, overwrite);
  cache.drop(name);
  return { imported: name, model: (await store.list()).find((m) => m.name === name) };
}

async function policyServing(app: FastifyInstance): Promise<void> {
  const state = app.palestra;
  const services = trainingServices(state);
  if (!services) return; // Without the training room there are no models to serve.
  const server = new ModelServer(state, services);
  const defs = policySchemas();
  useFastapiDialect(app);
  // The same dialect, with schema formats (`format: float` in a schema.yaml) read as documentation.
  app.setValidatorCompiler(({ schema }) => {
    const check = server.ajv.compile(schema);
    return (data: unknown) => (check(data) ? { value: data } : { error: check.errors as unknown as FastifySchemaValidationError[] });
  });

  const served = state.options.serveModel;
  if (served !== undefined) {
    let fixed: ServedModel;
    try {
      const loaded = await services.cache.get(checkModelName(served));
      const schema = state.options.observationSchema ? readObservationSchema(state.options.observationSchema, loaded.meta.policy.observation_space) : undefined;
      fixed = await server.model(served, null, schema);
    } catch (err) {
      throw new PalestraError((err as PalestraError).errorName ?? 'internal_error', `--serve-model ${served}: ${(err as Error).message}`);
    }
    const schema = state.options.observationSchema ? fixed.schema : undefined;
    // The operator chose this model for everyone with a key; it is not scoped to its owner.
    registerPolicyRoutes(app, { resolve: () => server.model(served, null, schema), observationBody: bodySchema(fixed.schema), tags: ['Predictions'], operationPrefix: '' });
    state.logger.info({ model: served, fields: fixed.schema.fields.map((f) => f.name) }, `serving model ${served} at /predict/`);
  } else if (state.options.observationSchema !== undefined) {
    throw new PalestraError('invalid_params', '--observation-schema describes the model of --serve-model; give that too');
  }

  await app.register(async (models) => {
    registerPolicyRoutes(models, {
      resolve: (request) => server.model((request.params as { name: string }).name, request.principal),
      params: defs.model_params,
      tags: ['Models'],
      operationPrefix: 'model_',
    });
  }, { prefix: '/models/:name' });

  const shapes = httpProtocolFile<{ detail: Record<string, unknown>; validation: Record<string, unknown> }>('errors.json');
  const detail = { description: 'Error', ...shapes.detail };
  const exportSchema = (operationId: string, summary: string, produces: string) => ({
    tags: ['Models'],
    operationId,
    summary,
    params: defs.model_params,
    response: { 200: { description: produces }, 403: detail, 404: detail },
  });
  const nameOf = (request: FastifyRequest) => (request.params as { name: string }).name;
  app.get('/models/:name/export', { schema: exportSchema('export_model', 'The policy as a TensorFlow.js LayersModel: a zip of model.json and weights.bin', 'application/zip') }, async (request, reply) => {
    const name = nameOf(request);
    const zip = zipExport(await server.export(name, request.principal));
    return reply
      .type('application/zip')
      .header('content-disposition', `attachment; filename="${name}.tfjs.zip"`)
      .send(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength));
  });
  // The two files at URLs of their own, so `tf.loadLayersModel(".../export/model.json")` loads straight from the server.
  app.get(`/models/:name/export/${MODEL_JSON}`, { schema: exportSchema('export_model_json', `The export's ${MODEL_JSON}, for tf.loadLayersModel(url)`, 'application/json') }, async (request) =>
    (await server.export(nameOf(request), request.principal)).modelJson,
  );
  app.get(`/models/:name/export/${WEIGHTS_BIN}`, { schema: exportSchema('export_model_weights', `The export's ${WEIGHTS_BIN}`, 'application/octet-stream') }, async (request, reply) => {
    const { weights } = await server.export(nameOf(request), request.principal);
    return reply.type('application/octet-stream').send(Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength));
  });

  // An upload may be as large as the largest model's weights, encoded, with its record.
  const uploadLimit = state.options.maxModelBytes * 2 + state.options.maxMessageBytes;
  app.addContentTypeParser(['application/zip', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: uploadLimit }, (_request, body, done) => done(null, body));
  app.post(
    '/models/import',
    {
      bodyLimit: uploadLimit,
      schema: {
        tags: ['Models'],
        operationId: 'import_model',
        summary: 'Saves a TensorFlow.js export (zip) or a Palestra model file as a model of the caller',
        querystring: defs.import_query,
        consumes: ['application/zip', 'application/json'],
        body: defs.import_body,
        response: { 201: defs.import_result, 400: detail, 403: detail, 409: detail, 413: detail, 422: { description: 'Validation Error', ...shapes.validation }, 429: detail, 507: detail },
      },
    },
    async (request, reply) => reply.code(201).send(await importModel(server, request)),
  );
}

/** The policy-serving plugin for `start()` (encapsulated: its error shape and parsers stay its own). */
export function policyPlugin() {
  return policyServing;
}
