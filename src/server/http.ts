/**
 * Plain HTTP beside the socket, as a Fastify plugin on the root: /health, /,
 * /protocol and /asyncapi.json; JSON request bodies (and nothing else: a
 * body of another type is refused with 415, so a cross-site form cannot
 * post); and every error and unknown route answered as catalogue JSON.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { healthReport } from '../api/system';
import { PalestraError } from '../errors';
import { asyncapiDocument } from './asyncapi';
import { errorHandler, sendError, unsupportedMediaType } from './http_errors';
import { PROTOCOL_VERSION, protocol } from './protocol';

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

/** Adds a JSON parser for `JSON_TYPES` to a scope, with its own reading of the text. */
export function addJSONParser(app: FastifyInstance, parse: (text: string) => unknown): void {
  for (const type of JSON_TYPES) {
    app.addContentTypeParser(type, { parseAs: 'string' }, (_request, body, done) => {
      try {
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
  addJSONParser(app, parseJSONBody);
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

  app.get('/health', { schema: { response: { 200: protocol().methods.get('health')!.result } } }, () => healthReport(state));
  app.get('/asyncapi.json', () => asyncapiDocument());
  app.get('/protocol', () => ({ protocol_version: PROTOCOL_VERSION, methods: Object.fromEntries(protocol().methods) }));
  app.get('/', () => ({
    name: 'palestra',
    description: 'A WebSocket RPC server for reinforcement learning: Gymnasium environments and TensorFlow.js training.',
    version: state.version,
    protocol_version: PROTOCOL_VERSION,
    websocket: { jsonrpc: '/', gymie: '/gym' },
    health: '/health',
    protocol: '/protocol',
    asyncapi: '/asyncapi.json',
    docs: 'README.md in the palestra package; method schemas at /protocol',
  }));
}

/** The root HTTP plugin (not encapsulated: its parsers and error handlers are every room's defaults). */
export const httpPlugin = fp(httpCore, { name: 'palestra-http', fastify: '5.x' });
