/**
 * The web page: `GET /` for browsers (JSON stays the answer for everyone else),
 * the page's own files under /web/, the built client library under /client/, and its examples under /examples/.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { HttpHandler } from '../server/http';
import type { Plugin } from '../server/plugin';

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

/** Whether the request prefers a page to JSON: browsers send `Accept: text/html,...`. */
export function wantsHtml(req: IncomingMessage): boolean {
  return /\btext\/html\b/i.test(req.headers.accept ?? '');
}

/** Serves one file from under `root`; answers false when there is none (or the path tries to leave `root`). */
async function serveFile(req: IncomingMessage, res: ServerResponse, root: string, relative: string): Promise<boolean> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return false;
  }
  if (decoded.includes('\0')) return false;
  const path = normalize(join(root, decoded));
  if (path !== root && !path.startsWith(root + sep)) return false;
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) return false;
  res.writeHead(200, {
    'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
    'content-length': info.size,
    // The page and the client change with every build; let the browser check each time.
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(path);
    stream.on('error', reject);
    stream.on('end', resolve);
    stream.pipe(res);
  });
  return true;
}

function notBuilt(res: ServerResponse): true {
  const text = '// The client library is not built: run `npm run build:client` (or `npm run build`).\n';
  res.writeHead(503, { 'content-type': 'text/javascript; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
  return true;
}

/** The handler behind the page. */
export function webHandler(staticDir = STATIC_DIR, clientDir = CLIENT_DIR, examplesDir = EXAMPLES_DIR): HttpHandler {
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/' || path === '/index.html') {
      if (path === '/' && !wantsHtml(req)) return false;
      return serveFile(req, res, staticDir, 'index.html');
    }
    if (path.startsWith('/web/')) return serveFile(req, res, staticDir, path.slice('/web/'.length));
    if (path.startsWith('/examples/')) return serveFile(req, res, examplesDir, path.slice('/examples/'.length));
    if (path.startsWith('/client/')) {
      if (await serveFile(req, res, clientDir, path.slice('/client/'.length))) return true;
      return path === '/client/index.js' ? notBuilt(res) : false;
    }
    return false;
  };
}

/** The plugin that serves the page. */
export function webPlugin(): Plugin {
  return {
    name: 'web',
    start(_state, host) {
      host.addHttpHandler(webHandler());
    },
  };
}
