/** Every GRPO route is registered, and documented in the OpenAPI 3.1 document with its schemas from protocol/http/grpo/. */
import type { PalestraServer } from '../../../src';
import { routeFiles } from '../../../src/rest/route_schemas';
import { validateOpenApi } from '../../helpers/openapi';
import { startTestServer } from '../../helpers/server';

// The GRPO training API's routes, as its documentation lists them.
const GRPO_API: [method: string, path: string][] = [
  ['post', '/train'],
  ['get', '/training/{job_id}/status'],
  ['get', '/training/jobs'],
  ['post', '/training/{job_id}/stop'],
  ['post', '/inference'],
  ['get', '/models'],
  ['delete', '/models/{model_name}'],
  ['get', '/health'],
];

let server: PalestraServer;
let doc: any;
beforeAll(async () => {
  server = await startTestServer();
  doc = await (await fetch(`${server.httpUrl}/openapi.json`)).json();
});
afterAll(() => server.close());

it('the document with the GRPO routes is valid OpenAPI 3.1', () => {
  const result = validateOpenApi(doc);
  expect(result.errors).toBeNull();
  expect(result).toMatchObject({ valid: true, version: '3.1' });
});

it('documents every route the GRPO training API has, each registered on the server', () => {
  for (const [method, path] of GRPO_API) {
    expect([method, path, doc.paths[path]?.[method] !== undefined]).toEqual([method, path, true]);
    expect(server.app.hasRoute({ method: method.toUpperCase() as 'GET', url: path.replace(/\{(\w+)\}/g, ':$1') })).toBe(true);
  }
});

it('documents every route file of protocol/http/grpo/ with its operation id, body, parameters and replies', () => {
  const files = Object.values(routeFiles('grpo'));
  expect(files.length).toBeGreaterThanOrEqual(7);
  for (const file of files) {
    expect(server.app.hasRoute({ method: file.method, url: file.url })).toBe(true);
    const operation = doc.paths[file.url.replace(/:(\w+)/g, '{$1}')][file.method.toLowerCase()];
    expect(operation.operationId).toBe(file.operationId);
    expect(operation.summary).toBe(file.summary);
    expect(Object.keys(operation.responses).sort()).toEqual(['200', '403', ...file.errors.map(String)].filter((v, i, a) => a.indexOf(v) === i).sort());
    expect(operation.responses['200'].content['application/json'].schema.properties).toEqual(expect.objectContaining(Object.fromEntries(Object.keys((file.response as any).properties).map((k) => [k, expect.anything()]))));
    if (file.body) {
      const body = operation.requestBody.content['application/json'].schema;
      expect(Object.keys(body.properties).sort()).toEqual(Object.keys((file.body as any).properties).sort());
    }
    for (const name of Object.keys((file.params as any)?.properties ?? {})) {
      expect(operation.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'path', name, required: true })]));
    }
  }
  // 422 is FastAPI's validation error, naming the field.
  const train = doc.paths['/train'].post;
  expect(train.responses['422'].content['application/json'].schema.properties.detail.items.properties).toHaveProperty('loc');
  expect(train.requestBody.content['application/json'].schema.properties.env_name.default).toBe('CartPole-v1');
});

it('documents how to send a key', () => {
  expect(doc.components.securitySchemes).toMatchObject({
    access_token_header: { type: 'apiKey', in: 'header', name: 'access_token' },
    access_token_query: { type: 'apiKey', in: 'query', name: 'access_token' },
    bearer: { type: 'http', scheme: 'bearer' },
  });
});
