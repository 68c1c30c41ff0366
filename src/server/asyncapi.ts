/**
 * The AsyncAPI 3.0 document of the WebSocket protocol, generated from
 * `protocol/` (methods, frames, shared definitions, error catalogue) so it
 * cannot drift from the schemas the server validates with.
 * `npm run asyncapi` writes it to protocol/asyncapi.json.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import catalogue from '../../protocol/errors.json';
import { VERSION } from '../version';
import { PROTOCOL_DIR, PROTOCOL_VERSION, loadMethodSchemas } from './protocol';

type Json = Record<string, unknown>;

/** Rewrites `$ref`s into the document's own components. */
function relink(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(relink);
  if (value === null || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [key, v] of Object.entries(value as Json)) {
    out[key] = key === '$ref' && typeof v === 'string' ? v.replace(/^(defs\.json)?#\/definitions\//, '#/components/schemas/') : relink(v);
  }
  return out;
}

/** The AsyncAPI document, as a JSON value. */
export function asyncapiDocument(dir = PROTOCOL_DIR): Json {
  const defs = JSON.parse(readFileSync(join(dir, 'defs.json'), 'utf8')).definitions as Json;
  const frames = readdirSync(join(dir, 'frames'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, 'frames', f), 'utf8')) as { method: string; description?: string; params: Json });
  const messages: Json = {};
  const operations: Json = {};
  const channel = { $ref: '#/channels/rpc' };
  for (const m of loadMethodSchemas(dir)) {
    messages[`${m.method}.request`] = {
      name: m.method,
      summary: m.summary,
      payload: relink({
        type: 'object',
        required: ['method'],
        properties: { jsonrpc: { const: '2.0' }, id: { type: ['string', 'number', 'null'] }, method: { const: m.method }, params: m.params },
      }),
    };
    messages[`${m.method}.result`] = {
      name: `${m.method} result`,
      payload: relink({ type: 'object', required: ['id', 'result'], properties: { jsonrpc: { const: '2.0' }, id: {}, result: m.result } }),
    };
    operations[m.method] = {
      action: 'receive',
      summary: m.summary,
      channel,
      messages: [{ $ref: `#/channels/rpc/messages/${m.method}.request` }],
      reply: { channel, messages: [{ $ref: `#/channels/rpc/messages/${m.method}.result` }, { $ref: '#/channels/rpc/messages/error' }] },
    };
  }
  for (const f of frames) {
    messages[f.method] = {
      name: f.method,
      summary: f.description ?? `The ${f.method} notification, pushed by the server.`,
      payload: relink({ type: 'object', required: ['method', 'params'], properties: { jsonrpc: { const: '2.0' }, method: { const: f.method }, params: f.params } }),
    };
    operations[f.method] = { action: 'send', channel, messages: [{ $ref: `#/channels/rpc/messages/${f.method}` }] };
  }
  messages.error = {
    name: 'error',
    summary: 'An error reply; `error.code` is from the catalogue below, `error.data.name` its name.',
    payload: {
      type: 'object',
      required: ['id', 'error'],
      properties: {
        jsonrpc: { const: '2.0' },
        id: {},
        error: {
          type: 'object',
          required: ['code', 'message'],
          properties: { code: { enum: catalogue.errors.map((e) => e.code) }, message: { type: 'string' }, data: { type: 'object' } },
        },
      },
    },
  };
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Palestra',
      version: VERSION,
      description:
        `Palestra's WebSocket protocol ${PROTOCOL_VERSION}: JSON-RPC 2.0 with Gymnasium's API. ` +
        "The same socket also speaks Gymie's legacy framing (no id, bare replies); see README.md.",
    },
    servers: { local: { host: '127.0.0.1:5000', protocol: 'ws', pathname: '/' } },
    channels: { rpc: { address: '/', messages } },
    operations,
    components: { schemas: relink(defs), 'x-errors': catalogue.errors },
  };
}

if (require.main === module) {
  process.stdout.write(`${JSON.stringify(asyncapiDocument(), null, 2)}\n`);
}
