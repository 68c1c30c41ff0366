/**
 * The HTTP routes described as an OpenAPI 3.1 document, generated from the
 * routes' own schemas (which come from `protocol/`): `/openapi.json`,
 * Swagger UI at `/docs` and ReDoc at `/redoc`, both served from installed
 * packages so the docs work on a machine without internet. Registered on the
 * root before any room, so every route a room adds with a `schema` appears
 * in the document by itself; a route opts out with `schema: { hide: true }`.
 */
import { createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { KEY_PARAMETER } from './security/api_keys';

/** The OpenAPI version the document declares. */
export const OPENAPI_VERSION = '3.1.0';

/** Where the document, Swagger UI and ReDoc are served. */
export const DOC_PATHS = { openapi: '/openapi.json', swagger: '/docs', redoc: '/redoc' } as const;

/** ReDoc's self-contained browser bundle, from the installed `redoc` package. */
export const REDOC_BUNDLE = join(dirname(require.resolve('redoc/package.json')), 'bundles', 'redoc.standalone.js');

const REDOC_SCRIPT = `${DOC_PATHS.redoc}/redoc.standalone.js`;

/** ReDoc's page: the bundle from this server, pointed at this server's document. */
function redocPage(title: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} - ReDoc</title>
<style>body { margin: 0; padding: 0; }</style>
</head>
<body>
<div id="redoc"></div>
<script src="${REDOC_SCRIPT}"></script>
<script>Redoc.init(${JSON.stringify(DOC_PATHS.openapi)}, {}, document.getElementById('redoc'));</script>
</body>
</html>
`;
}

async function openapi(app: FastifyInstance): Promise<void> {
  const state = app.palestra;
  const title = 'Palestra';
  await app.register(fastifySwagger, {
    openapi: {
      openapi: OPENAPI_VERSION,
      info: {
        title,
        version: state.version,
        description:
          'HTTP routes of Palestra, beside its WebSocket (JSON-RPC 2.0 on `/`, Gymie on `/gym`, described at `/asyncapi.json`). ' +
          `When the server has API keys, every route but \`GET /health\` needs one: the \`${KEY_PARAMETER}\` header, ` +
          `\`Authorization: Bearer KEY\`, or the \`${KEY_PARAMETER}\` query parameter.`,
      },
      components: {
        securitySchemes: {
          access_token_header: { type: 'apiKey', in: 'header', name: KEY_PARAMETER },
          access_token_query: { type: 'apiKey', in: 'query', name: KEY_PARAMETER },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ access_token_header: [] }, { access_token_query: [] }, { bearer: [] }],
    },
    // Shared schemas keep their `$id` as their component name, so the document reads like `protocol/`.
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id.replace(/[^A-Za-z0-9._-]/g, '_') : `def-${i}`) },
  });
  app.get(DOC_PATHS.openapi, { schema: { hide: true } }, () => app.swagger());
  await app.register(fastifySwaggerUi, { routePrefix: DOC_PATHS.swagger, uiConfig: { deepLinking: true, tryItOutEnabled: true } });
  app.get(DOC_PATHS.redoc, { schema: { hide: true } }, (_request, reply) => reply.type('text/html; charset=utf-8').send(redocPage(title)));
  app.get(REDOC_SCRIPT, { schema: { hide: true } }, (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').send(createReadStream(REDOC_BUNDLE)),
  );
}

/** The OpenAPI plugin (not encapsulated, so it sees the routes of every room registered after it). */
export const openapiPlugin = fp(openapi, { name: 'palestra-openapi', fastify: '5.x' });
