/** The OpenAPI 3.1 document at /openapi.json, Swagger UI at /docs and ReDoc at /redoc, all served by the server itself. */
import { readFileSync } from 'node:fs';
import type { PalestraServer } from '../../src';
import { REDOC_BUNDLE } from '../../src/server/openapi';
import { validateOpenApi } from '../helpers/openapi';
import { startTestServer } from '../helpers/server';

let server: PalestraServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

test('/openapi.json is a valid OpenAPI 3.1 document', async () => {
  const res = await fetch(`${server.httpUrl}/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const doc = await res.json();
  expect(doc.openapi).toBe('3.1.0');
  const result = validateOpenApi(doc);
  expect(result.errors).toBeNull();
  expect(result).toMatchObject({ valid: true, version: '3.1' });
  // The validator does refuse a broken document: a path item with a response lacking its description.
  const broken = structuredClone(doc);
  delete broken.paths['/health'].get.responses['200'].description;
  expect(validateOpenApi(broken).valid).toBe(false);
});

test('routes with a schema are documented with it; the docs routes themselves are not', async () => {
  const doc = await (await fetch(`${server.httpUrl}/openapi.json`)).json();
  // /health's reply schema comes from protocol/.
  expect(doc.paths['/health'].get.responses['200'].content['application/json'].schema.properties).toHaveProperty('uptime_s');
  for (const hidden of ['/openapi.json', '/docs', '/redoc', '/redoc/redoc.standalone.js']) expect(doc.paths).not.toHaveProperty(hidden);
});

test('/docs is Swagger UI from the installed package, reading this server\'s document', async () => {
  for (const path of ['/docs', '/docs/']) {
    const res = await fetch(`${server.httpUrl}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).not.toMatch(/https?:\/\//);
    const scripts = [...html.matchAll(/src="([^"]+)"/g)].map((m) => new URL(m[1], `${server.httpUrl}${path}`).pathname);
    expect(scripts).toContain('/docs/static/swagger-ui-bundle.js');
    for (const script of scripts) {
      const asset = await fetch(`${server.httpUrl}${script}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toMatch(/javascript/);
    }
  }
  const initializer = await (await fetch(`${server.httpUrl}/docs/static/swagger-initializer.js`)).text();
  expect(initializer).toContain('SwaggerUIBundle');
  const json = await (await fetch(`${server.httpUrl}/docs/json`)).json();
  expect(json).toEqual(await (await fetch(`${server.httpUrl}/openapi.json`)).json());
});

test('/redoc is ReDoc\'s standalone bundle from the installed package, pointed at /openapi.json', async () => {
  const res = await fetch(`${server.httpUrl}/redoc`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await res.text();
  expect(html).not.toMatch(/https?:\/\//);
  expect(html).toContain('<script src="/redoc/redoc.standalone.js"></script>');
  expect(html).toContain('Redoc.init("/openapi.json"');
  const bundle = await fetch(`${server.httpUrl}/redoc/redoc.standalone.js`);
  expect(bundle.status).toBe(200);
  expect(bundle.headers.get('content-type')).toMatch(/^text\/javascript/);
  expect(Buffer.from(await bundle.arrayBuffer()).equals(readFileSync(REDOC_BUNDLE))).toBe(true);
});
