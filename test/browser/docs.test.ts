/**
 * The API docs in a real browser (Debian's Chromium driven by playwright-core):
 * Swagger UI at /docs shows every GRPO route and runs one live, ReDoc at
 * /redoc renders the document; nothing is fetched from anywhere but the server.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { PalestraServer } from '../../src';
import { startTestServer } from '../helpers/server';

jest.setTimeout(120_000);

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Outside CI a machine without Chromium skips these; in CI they run, and fail if it is missing.
const inCI = Boolean(process.env.CI) && process.env.CI !== 'false';
const suite = existsSync(CHROMIUM) || inCI ? describe : describe.skip;

suite('the API docs', () => {
  let server: PalestraServer;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: .ci/run installs it with apt-get install chromium`);
    server = await startTestServer();
    profile = mkdtempSync(join(tmpdir(), 'palestra-chromium-docs-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 1000 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    // Everything is local: any request that leaves the test server is a bug.
    await context.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => {
      problems.push(`outside request: ${route.request().url()}`);
      return route.abort();
    });
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  test('/docs lists every GRPO route and runs GET /health live', async () => {
    await page.goto(`${server.httpUrl}/docs`);
    await page.waitForSelector('.opblock-summary-path', { timeout: 60_000 });
    const paths = await page.$$eval('.opblock-summary-path', (nodes) => nodes.map((n) => n.getAttribute('data-path') ?? n.textContent?.trim()));
    expect(paths).toEqual(
      expect.arrayContaining(['/train', '/training/{job_id}/status', '/training/jobs', '/training/{job_id}/stop', '/inference', '/models', '/models/{model_name}', '/health']),
    );
    const health = page.locator('#operations-default-health');
    await health.locator('.opblock-summary').click();
    // The server's Swagger UI opens with "Try it out" on; the button is pressed only where it is not.
    if ((await health.locator('button.execute').count()) === 0) await health.locator('button.try-out__btn').click();
    await health.locator('button.execute').click();
    const status = health.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor({ timeout: 30_000 });
    expect((await status.textContent())?.trim()).toBe('200');
    expect(await health.locator('.live-responses-table .microlight').first().textContent()).toContain('"healthy"');
    expect(problems).toEqual([]);
  });

  test('/redoc renders the document', async () => {
    await page.goto(`${server.httpUrl}/redoc`);
    // Each operation is a section headed by its summary.
    await page.locator('h2', { hasText: 'Start a training job' }).first().waitFor({ timeout: 60_000 });
    expect(await page.locator('h2', { hasText: 'The status of a training job' }).count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});
