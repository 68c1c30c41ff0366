/**
 * HTTP route schemas from `protocol/http/`: one file per route (method, url,
 * summary, body, params, reply, the error statuses it may answer), read once
 * and handed to Fastify as they are, so the validation and the OpenAPI
 * document both come from `protocol/`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifySchema } from 'fastify';
import { PROTOCOL_DIR } from '../server/protocol';

/** One route's file in `protocol/http/<group>/`. */
export interface RouteFile {
  /** A unique name for the route, which generated clients use as the function's name. */
  operationId: string;
  method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  /** Fastify's syntax (`/training/:job_id/status`). */
  url: string;
  summary: string;
  description?: string;
  tags?: string[];
  /** Error statuses besides 403 (no key), each answered with a schema from `protocol/http/errors.json`. */
  errors: number[];
  body?: Record<string, unknown>;
  params?: Record<string, unknown>;
  querystring?: Record<string, unknown>;
  response: Record<string, unknown>;
}

interface ErrorSchemas {
  detail: Record<string, unknown>;
  validation: Record<string, unknown>;
  statuses: Record<string, 'detail' | 'validation'>;
}

const HTTP_DIR = join(PROTOCOL_DIR, 'http');
const cache = new Map<string, unknown>();

/** A JSON file under `protocol/http/`, read once per process. */
export function httpProtocolFile<T>(relative: string): T {
  let value = cache.get(relative);
  if (value === undefined) cache.set(relative, (value = JSON.parse(readFileSync(join(HTTP_DIR, relative), 'utf8'))));
  return value as T;
}

/** The route files of a group (`protocol/http/<group>/*.json`), by file name without `.json`. */
export function routeFiles(group: string): Record<string, RouteFile> {
  const names = readdirSync(join(HTTP_DIR, group)).filter((f) => f.endsWith('.json')).sort();
  return Object.fromEntries(names.map((f) => [f.slice(0, -'.json'.length), httpProtocolFile<RouteFile>(join(group, f))]));
}

/** Fastify's schema of a route: its parts as the file has them, its reply as 200 and its error replies. */
export function routeSchema(file: RouteFile): FastifySchema {
  const errors = httpProtocolFile<ErrorSchemas>('errors.json');
  const response: Record<string, unknown> = { 200: { description: 'Successful Response', ...file.response } };
  for (const status of [...new Set([403, ...file.errors])].sort()) {
    const kind = errors.statuses[String(status)] ?? 'detail';
    response[status] = { description: kind === 'validation' ? 'Validation Error' : 'Error', ...errors[kind] };
  }
  // Copies, so that no plugin that annotates a schema (the OpenAPI resolver does) changes the shared file.
  const schema: FastifySchema & Record<string, unknown> = structuredClone({ operationId: file.operationId, summary: file.summary, response });
  if (file.description) schema.description = file.description;
  if (file.tags) schema.tags = file.tags;
  if (file.body) schema.body = structuredClone(file.body);
  if (file.params) schema.params = structuredClone(file.params);
  if (file.querystring) schema.querystring = structuredClone(file.querystring);
  return schema;
}
