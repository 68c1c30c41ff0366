/**
 * The web page in a real browser (Debian's Chromium driven by playwright-core):
 * it loads, connects, trains with a live chart, plays an episode on the canvas, and says when the server is gone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { BrowserContext, Page } from 'playwright-core';
import type { PalestraServer } from '../../src';
import { TestBrowser, browserSuite, openBrowser } from '../helpers/browser';
import { startTestServer } from '../helpers/server';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..');
const ARTIFACTS = join(ROOT, 'artifacts');

browserSuite('the web page', () => {
  let server: PalestraServer;
  let context: BrowserContext;
  let page: Page;
  let browser: TestBrowser;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'clients', 'dist', 'index.js'))) execFileSync(process.execPath, [join(ROOT, 'clients', 'scripts', 'build.cjs')], { stdio: 'inherit' });
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startTestServer();
    browser = await openBrowser(problems);
    ({ context, page } = browser);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('GET / answers the page to a browser and JSON to everyone else', async () => {
    const html = await fetch(server.httpUrl, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    const json = await fetch(server.httpUrl);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await json.json()).name).toBe('palestra');
    const lib = await fetch(`${server.httpUrl}/client/index.js`);
    expect(lib.status).toBe(200);
    expect(lib.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${server.httpUrl}/web/..%2F..%2F..%2Fpackage.json`)).status).toBe(404);
  });

  test('the page loads, connects through the client library and lists the environments', async () => {
    await page.goto(server.httpUrl);
    await page.waitForSelector('body[data-connection="connected"]');
    expect(await page.textContent('#status-text')).toMatch(/Connected · palestra/);
    const envs = await page.$$eval('#watch-env option', (options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(envs).toEqual(expect.arrayContaining(['CartPole-v1', 'CartPole-v0']));
    expect(await page.isHidden('#banner')).toBe(true);
  });

  test('an episode is stepped live and drawn on the canvas', async () => {
    await page.selectOption('#watch-env', 'CartPole-v1');
    await page.selectOption('#watch-speed', '120');
    await page.click('#watch-play');
    await page.waitForFunction(() => /terminated|truncated/.test(document.getElementById('watch-state')!.textContent ?? ''), undefined, { timeout: 30_000 });
    const steps = Number(await page.getAttribute('#env-canvas', 'data-steps'));
    expect(steps).toBeGreaterThan(5);
    expect(Number(await page.textContent('#watch-return'))).toBe(steps);
    // The cart is drawn: dark pixels on the light background.
    const dark = await page.$eval('#env-canvas', (canvas) => {
      const c = canvas as HTMLCanvasElement;
      const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] < 60 && data[i + 1] < 60 && data[i + 2] < 80) n++;
      return n;
    });
    expect(dark).toBeGreaterThan(500);
    expect(await page.isEnabled('#watch-play')).toBe(true);
  });

  let model = '';

  test('a training run streams into the chart live, and Stop ends it with a saved model', async () => {
    await page.selectOption('#train-env', 'CartPole-v1');
    await page.selectOption('#train-algo', 'ppo');
    await page.fill('#train-steps', '500000');
    await page.fill('#train-seed', '1');
    await page.click('#train-start');
    await page.waitForFunction(() => /job [0-9a-f]+/.test(document.getElementById('train-note')!.textContent ?? ''));
    expect(await page.isEnabled('#train-stop')).toBe(true);
    // The jobs panel lists it, with its own Stop button.
    const jobId = /job ([0-9a-f]{32})/.exec((await page.textContent('#train-note'))!)![1];
    await page.waitForSelector(`#jobs-table tr[data-job="${jobId}"] button:has-text("Stop")`);
    // Progress frames arrive and the charts grow while the job runs.
    await page.waitForFunction(() => Number(document.getElementById('return-chart')!.dataset.points) >= 6, undefined, { timeout: 60_000 });
    const early = Number(await page.getAttribute('#return-chart', 'data-points'));
    // Long enough for a curve and a first greedy evaluation (every 5000 steps) to show in the screenshot.
    await page.waitForFunction((n) => Number(document.getElementById('return-chart')!.dataset.points) > n + 40, early, { timeout: 90_000 });
    expect(Number(await page.getAttribute('#sps-chart', 'data-points'))).toBeGreaterThan(3);
    expect(Number((await page.textContent('#stat-sps'))!.replace(/,/g, ''))).toBeGreaterThan(0);
    expect(await page.textContent('#stat-timesteps')).toMatch(/ \/ 500k$/);
    await page.click('#train-stop');
    await page.waitForFunction(() => /^Stopped after/.test(document.getElementById('train-note')!.textContent ?? ''), undefined, { timeout: 30_000 });
    const note = (await page.textContent('#train-note'))!;
    model = /saved as model “([^”]+)”/.exec(note)![1];
    expect(model).toMatch(/^CartPole-v1-ppo-/);
    expect(await page.isEnabled('#train-start')).toBe(true);
    // The new model is listed, and offered as a policy to watch.
    await page.waitForSelector(`#models-table tr[data-model="${model}"]`);
    expect(await page.$$eval('#watch-policy option', (options) => options.map((o) => (o as HTMLOptionElement).value))).toContain(model);
    // The run it leaves is listed, stopped, with its metrics as CSV.
    await page.waitForSelector('#runs-table tr[data-run]');
    const row = await page.$$eval('#runs-table tr[data-run]', (rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).slice(1, 4).map((td) => td.textContent)));
    expect(row[0]).toEqual(['Stopped', 'CartPole-v1', 'ppo']);
    const csvHref = (await page.getAttribute('#runs-table tr[data-run] a', 'href'))!;
    expect(csvHref).toMatch(/^\/runs\/[0-9a-f]{32}\/metrics\.csv$/);
    const csv = await page.evaluate(async (href) => (await fetch(href)).text(), csvHref);
    expect(csv.split('\r\n')[0]).toMatch(/^wall_time,timesteps,elapsed_s,/);
  });

  test('a saved model is evaluated from its row', async () => {
    await page.click(`#models-table tr[data-model="${model}"] button:has-text("Evaluate")`);
    await page.waitForFunction(() => /mean return .* over 10 episodes/.test(document.getElementById('eval-result')!.textContent ?? ''), undefined, { timeout: 60_000 });
    expect(await page.textContent('#eval-result')).toContain(model);
  });

  test('a saved model downloads from its row as a TensorFlow.js model zip', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`#models-table tr[data-model="${model}"] button:has-text("Download")`)]);
    expect(download.suggestedFilename()).toBe(`${model}.tfjs.zip`);
    const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
    expect(Object.keys(files).sort()).toEqual(['model.json', 'weights.bin']);
    const modelJson = JSON.parse(strFromU8(files['model.json']));
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.userDefinedMetadata.palestra.meta.name).toBe(model);
    await page.waitForFunction(() => /^Downloaded /.test(document.getElementById('eval-result')!.textContent ?? ''));
  });

  test('a saved policy plays an episode on the canvas, its actions from predict', async () => {
    await page.click(`#models-table tr[data-model="${model}"] button:has-text("Watch")`);
    await page.waitForFunction((m) => (document.getElementById('watch-state')!.textContent ?? '').includes(`playing model ${m}`), model);
    await page.waitForFunction(() => Number(document.getElementById('env-canvas')!.dataset.steps) >= 40 || /terminated|truncated/.test(document.getElementById('watch-state')!.textContent ?? ''), undefined, {
      timeout: 60_000,
    });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(ARTIFACTS, 'web-page.png'), fullPage: true });
    await page.$eval('#watch-stop', (b) => (b as HTMLButtonElement).click());
    await page.waitForFunction(() => !(document.getElementById('watch-play') as HTMLButtonElement).disabled);
    expect(await page.textContent('#watch-state')).toMatch(/stopped|terminated|truncated/);
  });

  test('every environment the page knows how to draw is drawn as it steps', async () => {
    const ids = await page.$$eval('#watch-env option', (options) => options.map((o) => (o as HTMLOptionElement).value));
    const drawable = ids.filter((id) => /^(CartPole|MountainCar|MountainCarContinuous|Acrobot|Pendulum|FrozenLake|FrozenLake8x8|Taxi|CliffWalking|Blackjack)-v\d+$/.test(id));
    expect(drawable.length).toBeGreaterThanOrEqual(2);
    mkdirSync(join(ARTIFACTS, 'envs'), { recursive: true });
    for (const id of drawable) {
      await page.selectOption('#watch-env', id);
      await page.click('#watch-play');
      await page.waitForFunction(
        () => Number(document.getElementById('env-canvas')!.dataset.steps) >= 10 || /terminated|truncated|failed/.test(document.getElementById('watch-state')!.textContent ?? ''),
        undefined,
        { timeout: 30_000 },
      );
      // The episode may end on its own meanwhile; a click on the disabled button is then a no-op.
      await page.$eval('#watch-stop', (b) => (b as HTMLButtonElement).click());
      await page.waitForFunction(() => !(document.getElementById('watch-play') as HTMLButtonElement).disabled);
      expect(await page.textContent('#watch-state')).not.toMatch(/failed/);
      const colours = await page.$eval('#env-canvas', (canvas) => {
        const c = canvas as HTMLCanvasElement;
        const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
        const seen = new Set<number>();
        for (let i = 0; i < data.length; i += 16) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        return seen.size;
      });
      expect(colours).toBeGreaterThan(3);
      await page.locator('#env-canvas').screenshot({ path: join(ARTIFACTS, 'envs', `${id}.png`) });
    }
  });

  test('the browser agent example runs its episodes through the client library', async () => {
    const example = await context.newPage();
    example.on('pageerror', (err) => problems.push(`example page error: ${err.message}`));
    await example.goto(`${server.httpUrl}/examples/browser-agent.html`);
    await example.waitForSelector('#log[data-done="true"]');
    const log = await example.textContent('#log');
    expect(log).toMatch(/CartPole-v1: observations Box\(/);
    expect(log).toMatch(/episode 2: return \d+/);
    expect(log).not.toMatch(/failed/);
    await example.close();
  });

  test('no errors in the page and no request left the machine', () => {
    expect(problems).toEqual([]);
  });

  test('when the server goes away the page says so, and keeps trying', async () => {
    await server.close();
    await page.waitForSelector('body[data-connection="unreachable"]');
    await page.waitForFunction(() => /Server unreachable at ws:\/\/127\.0\.0\.1:\d+\/ \(no server answered\)\. Retrying in/.test(document.getElementById('banner')!.textContent ?? ''), undefined, { timeout: 15_000 });
    expect(await page.isVisible('#banner')).toBe(true);
    expect(await page.isDisabled('#watch-play')).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'web-page-unreachable.png') });
  });
});
