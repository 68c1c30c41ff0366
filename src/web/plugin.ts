/**
 * The web page: `GET /` for browsers (JSON stays the answer for everyone else),
 * the page's own files under /web/, the built client library under /client/,
 * its examples under /examples/, and the icon at /favicon.ico.
 */
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import fastifyStatic, { type FastifyStaticOptions } from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

// Both src/web (under jest) and dist/web (after a build) sit two levels below the package root,
// so the static files are served from the source folder either way and need no copying.
const PACKAGE_ROOT = join(__dirname, '..', '..');

/** Where the page's files are. */
export const STATIC_DIR = join(PACKAGE_ROOT, 'src', 'web', 'static');
/** Where `npm run build:client` puts the client library. */
export const CLIENT_DIR = join(PACKAGE_ROOT, 'clients', 'dist');
/** The client's examples; the browser agent page is served from here. */
export const EXAMPLES_DIR = join(PACKAGE_ROOT, 'clients', 'examples');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ts': 'text/plain; charset=utf-8',
};

/** Whether an `Accept` header prefers a page to JSON: browsers send `Accept: text/html,...`. */
export function wantsHtml(accept: string | undefined): boolean {
  return /\btext\/html\b/i.test(accept ?? '');
}

/**
 * A route constraint that tells browsers from programs on the same path:
 * `GET /` with `{ constraints: { page: 'html' } }` answers browsers, and the
 * unconstrained `GET /` everyone else.
 */
type ConstraintStrategy = Parameters<FastifyInstance['addConstraintStrategy']>[0];
type RouteStore = ReturnType<ReturnType<ConstraintStrategy['storage']>['get']>;
const pageConstraint: ConstraintStrategy = {
  name: 'page',
  storage() {
    const handlers = new Map<unknown, RouteStore>();
    return { get: (kind) => handlers.get(kind) ?? null, set: (kind, handler) => void handlers.set(kind, handler) };
  },
  deriveConstraint: (req) => (wantsHtml(req.headers.accept) ? 'html' : 'data'),
  mustMatchWhenDerived: false,
};

function setHeaders(res: { setHeader(name: string, value: string): unknown }, path: string): void {
  res.setHeader('content-type', TYPES[extname(path)] ?? 'application/octet-stream');
  // The page and the client change with every build; let the browser check each time.
  res.setHeader('cache-control', 'no-cache');
  res.setHeader('x-content-type-options', 'nosniff');
}

/** A path that stays inside its folder: no `..` part, no NUL, no backslash. */
function insideRoot(pathname: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return false;
  }
  return !decoded.includes('\0') && !decoded.includes('\\') && !decoded.split('/').includes('..');
}

function files(root: string, prefix: string, decorateReply: boolean): FastifyStaticOptions {
  return {
    root,
    prefix,
    decorateReply,
    // Our own types (the page's JavaScript as text/javascript, TypeScript as text).
    contentType: false,
    cacheControl: false,
    setHeaders,
    dotfiles: 'ignore',
    index: false,
    list: false,
    allowedPath: insideRoot,
  };
}

async function web(app: FastifyInstance): Promise<void> {
  app.addConstraintStrategy(pageConstraint);
  await app.register(fastifyStatic, files(STATIC_DIR, '/web/', true));
  await app.register(fastifyStatic, files(EXAMPLES_DIR, '/examples/', false));
  await app.register(fastifyStatic, files(CLIENT_DIR, '/client/', false));
  app.get('/', { constraints: { page: 'html' } }, (_request, reply) => reply.sendFile('index.html', STATIC_DIR));
  app.get('/index.html', (_request, reply) => reply.sendFile('index.html', STATIC_DIR));
  // Browsers ask for /favicon.ico whatever the page links; the page's mark is an SVG.
  app.get('/favicon.ico', (_request, reply) => reply.sendFile('favicon.svg', STATIC_DIR));
  app.get('/client/index.js', (_request, reply) => {
    if (existsSync(join(CLIENT_DIR, 'index.js'))) return reply.sendFile('index.js', CLIENT_DIR);
    return reply
      .code(503)
      .type('text/javascript; charset=utf-8')
      .send('// The client library is not built: run `npm run build:client` (or `npm run build`).\n');
  });
}

/** The plugin that serves the page. */
export function webPlugin() {
  return fp(web, { name: 'palestra-web', fastify: '5.x' });
}
