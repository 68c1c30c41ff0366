/** The page's files over HTTP, without a browser: the icon, types and caching, and nothing outside the page's folders. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PalestraServer } from '../../src';
import { STATIC_DIR } from '../../src/web/plugin';
import { startTestServer } from '../helpers/server';

let server: PalestraServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

test('/favicon.ico answers the page’s icon, as SVG', async () => {
  const res = await fetch(`${server.httpUrl}/favicon.ico`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/svg+xml');
  expect(Buffer.from(await res.arrayBuffer())).toEqual(readFileSync(join(STATIC_DIR, 'favicon.svg')));
  const head = await fetch(`${server.httpUrl}/favicon.ico`, { method: 'HEAD' });
  expect(head.status).toBe(200);
  expect(head.headers.get('content-type')).toBe('image/svg+xml');
});

test('GET / is the page for a browser and JSON for a program; /index.html is the page', async () => {
  const page = await fetch(`${server.httpUrl}/`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(await page.text()).toContain('<!doctype html>');
  const json = await fetch(`${server.httpUrl}/`, { headers: { accept: '*/*' } });
  expect((await json.json()).name).toBe('palestra');
  expect((await fetch(`${server.httpUrl}/index.html`)).headers.get('content-type')).toBe('text/html; charset=utf-8');
});

test('the page’s files: JavaScript as text/javascript, checked by the browser on each load, never sniffed', async () => {
  const res = await fetch(`${server.httpUrl}/web/app.js`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  expect(res.headers.get('cache-control')).toBe('no-cache');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(await res.text()).toBe(readFileSync(join(STATIC_DIR, 'app.js'), 'utf8'));
});

test.each([['/web/..%2F..%2F..%2Fpackage.json'], ['/web/%2e%2e/%2e%2e/package.json'], ['/web/'], ['/web/nope.js'], ['/examples/../package.json']])(
  '%s: 404 not_found as JSON',
  async (path) => {
    const res = await fetch(`${server.httpUrl}${path}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ name: 'not_found', code: 4001 });
  },
);
