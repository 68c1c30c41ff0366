/**
 * Plain HTTP beside the socket, as a Fastify plugin on the root: /health, /,
 * /protocol and /asyncapi.json; JSON request bodies (and nothing else: a
 * body of another type is refused with 415, so a cross-site form cannot
 * post); and every error and unknown route answered as catalogue JSON.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { httpHealthReport } from '../api/system';
import { PalestraError } from '../errors';
import { asyncapiDocument } from './asyncapi';
import { nestsDeeperThan } from './framing/depth';
import { errorHandler, sendError, unsupportedMediaType } from './http_errors';
import { DOC_PATHS } from './openapi';
import { PROTOCOL_VERSION, protocol } from './protocol';
import { httpProtocolFile } from '../rest/route_schemas';

/** The media types read as JSON: `application/json` and the `+json` family. */
export const JSON_TYPES = ['application/json', /^application\/[a-z0-9.!#$&^_-]+\+json$/i] as const;

/** Parses a JSON body; empty is null (clients send "", "null" or "{}" for no parameters). */
export function parseJSONBody(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new PalestraError('parse_error', `Request is not a valid json: ${(err as Error).message}`);
  }
}

/**
 * Adds a JSON parser for `JSON_TYPES` to a scope, with its own reading of the
 * text; a body nested deeper than `maxDepth` is refused (message_too_deep)
 * before it is parsed, so no walker goes down it.
 */
export function addJSONParser(app: FastifyInstance, parse: (text: string) => unknown, maxDepth: number): void {
  for (const type of JSON_TYPES) {
    app.addContentTypeParser(type, { parseAs: 'string' }, (_request, body, done) => {
      try {
        if (nestsDeeperThan(body as string, maxDepth)) {
          throw new PalestraError('message_too_deep', `The request body nests deeper than the limit of ${maxDepth} levels`, { limit: maxDepth });
        }
        done(null, parse(body as string));
      } catch (err) {
        done(err as Error, undefined);
      }
    });
  }
}

/** Whether a request carries a body at all (a POST without one needs no content type). */
function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) !== 0);
}

async function httpCore(app: FastifyInstance): Promise<void> {
  const state = app.palestra;
  app.removeAllContentTypeParsers();
  addJSONParser(app, parseJSONBody, state.options.maxMessageDepth);
  // Any other type: an empty body is no body; anything else is refused unread.
  app.addContentTypeParser('*', (request, _payload, done) => {
    if (hasBody(request)) done(unsupportedMediaType(request.headers['content-type']), undefined);
    else done(null, null);
  });
  // Response schemas document the routes; replies are written as they are, so no property is ever dropped.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.setErrorHandler(errorHandler());
  app.setNotFoundHandler((request, reply) => {
    sendError(reply, new PalestraError('not_found', `No route for ${request.method} ${request.url}`));
  });

  app.get('/health', { schema: { summary: 'Liveness and load', operationId: 'health', response: { 200: healthSchema() } } }, () => httpHealthReport(state));
  app.get('/asyncapi.json', () => asyncapiDocument());
  app.get('/protocol', () => ({ protocol_version: PROTOCOL_VERSION, methods: Object.fromEntries(protocol().methods) }));
  // Every documented route a room adds (they register after this plugin), for the endpoint list at `/`.
  const endpoints: Record<string, string> = {};
  app.addHook('onRoute', (route) => {
    const schema = route.schema as { operationId?: string; hide?: boolean } | undefined;
    const methods = ([] as string[]).concat(route.method);
    if (schema?.operationId && !schema.hide && !methods.includes('HEAD')) endpoints[schema.operationId] = `${methods.join(',')} ${route.url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}')}`;
  });
  app.get('/', () => ({
    message: 'Palestra',
    endpoints: { health: 'GET /health', ...endpoints },
    name: 'palestra',
    description: 'A WebSocket RPC server for reinforcement learning: Gymnasium environments and TensorFlow.js training.',
    version: state.version,
    protocol_version: PROTOCOL_VERSION,
    websocket: { jsonrpc: '/', gymie: '/gym' },
    health: '/health',
    protocol: '/protocol',
    asyncapi: '/asyncapi.json',
    openapi: DOC_PATHS.openapi,
    docs: DOC_PATHS.swagger,
    redoc: DOC_PATHS.redoc,
  }));
}

/** `GET /health`'s reply schema: the `health` method's result with the HTTP fields of `protocol/http/health.json` over it. */
function healthSchema(): Record<string, unknown> {
  const method = protocol().methods.get('health')!.result as { properties: Record<string, unknown>; required: string[] };
  const extra = httpProtocolFile<{ properties: Record<string, unknown>; required: string[] }>('health.json');
  return { ...method, properties: { ...method.properties, ...extra.properties }, required: [...new Set([...method.required, ...extra.required])] };
}

/** The root HTTP plugin (not encapsulated: its parsers and error handlers are every room's defaults). */
export const httpPlugin = fp(httpCore, { name: 'palestra-http', fastify: '5.x' });
