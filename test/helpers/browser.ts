/**
 * Chromium for the browser tests (Debian's, driven by playwright-core): where it
 * is, whether a suite runs, and a fresh headless profile that reports what goes
 * wrong on the page.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Outside CI a machine without Chromium skips these; in CI they run, and fail if it is missing.
const inCI = Boolean(process.env.CI) && process.env.CI !== 'false';
export const browserSuite = existsSync(CHROMIUM) || inCI ? describe : describe.skip;

/** A headless browser with one page; `close` ends it and removes its profile. */
export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * Opens Chromium on a fresh profile. Page errors, console errors and every request
 * that leaves 127.0.0.1 (everything is local: such a request is a bug, and is refused)
 * are pushed to `problems`.
 */
export async function openBrowser(problems: string[], viewport = { width: 1400, height: 1000 }): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: .ci/run installs it with apt-get install chromium`);
  const profile = mkdtempSync(join(tmpdir(), 'palestra-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await context.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => {
    problems.push(`outside request: ${route.request().url()}`);
    return route.abort();
  });
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
