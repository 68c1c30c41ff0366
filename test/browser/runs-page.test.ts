/**
 * The page as the place to manage every job and run, in a real browser (Debian's Chromium driven by
 * playwright-core): a run started with a changed hyperparameter, a reload mid-run that finds the job again
 * with its curve, a second tab that sees it too, Stop from the jobs panel, two runs compared, the
 * leaderboard, downloads, a shutdown told as such, at 400 px and 1920 px without horizontal scrolling.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { PalestraServer } from '../../src';
import { RpcClient, startTestServer } from '../helpers/server';

jest.setTimeout(180_000);

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..');
const ARTIFACTS = join(ROOT, 'artifacts');
const inCI = Boolean(process.env.CI) && process.env.CI !== 'false';
const suite = existsSync(CHROMIUM) || inCI ? describe : describe.skip;

/** A PPO small enough that a few hundred timesteps take a second or two, evaluated often. */
const TINY = { n_envs: '2', n_steps: '32', batch_size: '32', n_epochs: '2', hidden_size: '16', hidden_layers: '1', eval_freq: '128', eval_episodes: '2' };

suite('the page manages jobs and runs', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'palestra-runs-page-'));
  let server: PalestraServer;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const problems: string[] = [];
  let first = '';
  let second = '';

  const watchProblems = (p: Page, name: string) => {
    p.on('pageerror', (err) => problems.push(`${name} error: ${err.message}`));
    p.on('console', (message) => {
      // A socket cut by the shutdown test is the browser's own log line, not the page's.
      if (message.type() === 'error' && !/WebSocket connection to .* failed/.test(message.text())) problems.push(`${name} console: ${message.text()}`);
    });
  };

  /** Fills the training form: CartPole-v1, PPO, `timesteps`, the tiny network, and `changes` on top. */
  async function fillForm(timesteps: number, changes: Record<string, string>) {
    await page.selectOption('#train-env', 'CartPole-v1');
    await page.selectOption('#train-algo', 'ppo');
    await page.waitForSelector('#hp-fields [data-hp="learning_rate"]', { state: 'attached' });
    await page.$eval('#hp-details', (d) => ((d as HTMLDetailsElement).open = true));
    await page.fill('#train-steps', String(timesteps));
    await page.fill('#train-seed', '3');
    for (const [name, value] of Object.entries({ ...TINY, ...changes })) await page.fill(`#train-form [data-hp="${name}"]`, value);
  }

  /** The job id the training card shows. */
  const shownJob = () => page.$eval('#live-charts', (el) => (el as HTMLElement).dataset.job ?? '');

  async function noHorizontalScroll(width: number) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForFunction(() => document.documentElement.clientWidth > 0);
    const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(client).toBe(width);
    expect(scroll).toBeLessThanOrEqual(client);
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: .ci/run installs it with apt-get install chromium`);
    if (!existsSync(join(ROOT, 'clients', 'dist', 'index.js'))) execFileSync(process.execPath, [join(ROOT, 'clients', 'scripts', 'build.cjs')], { stdio: 'inherit' });
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startTestServer({ dataDir, maxConcurrentJobs: 2 });
    profile = mkdtempSync(join(tmpdir(), 'palestra-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1920, height: 1000 },
      acceptDownloads: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    watchProblems(page, 'page');
    await context.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => {
      problems.push(`outside request: ${route.request().url()}`);
      return route.abort();
    });
    await page.goto(server.httpUrl);
    await page.waitForSelector('body[data-connection="connected"]');
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("the form is the algorithm's schema with the environment's defaults filled in", async () => {
    await page.selectOption('#train-env', 'CartPole-v1');
    await page.selectOption('#train-algo', 'ppo');
    await page.waitForSelector('#hp-fields [data-hp="learning_rate"]', { state: 'attached' });
    const client = await RpcClient.connect(server.url);
    try {
      const { algorithms } = await client.call('algorithms', { env_id: 'CartPole-v1' });
      const ppo = algorithms.find((a: any) => a.name === 'ppo');
      // Every hyperparameter of the schema has its field, holding CartPole's default (not the schema's).
      const fields = await page.$$eval('#train-form [data-hp]', (els) => Object.fromEntries(els.map((e) => [(e as HTMLInputElement).dataset.hp, (e as HTMLInputElement).type === 'checkbox' ? (e as HTMLInputElement).checked : (e as HTMLInputElement).value])));
      expect(Object.keys(fields).sort()).toEqual(Object.keys(ppo.hyperparameters.properties).sort());
      expect(fields.learning_rate).toBe(String(ppo.defaults.hyperparameters.learning_rate));
      expect(ppo.defaults.hyperparameters.n_envs).not.toBe(ppo.hyperparameters.properties.n_envs.default);
      expect(fields.n_envs).toBe(String(ppo.defaults.hyperparameters.n_envs));
      expect(await page.inputValue('#train-steps')).toBe(String(ppo.defaults.total_timesteps));
      // Evaluation settings sit beside early stopping; algorithms that cannot train CartPole are offered disabled.
      expect(await page.$$eval('#eval-fields [data-hp]', (els) => els.map((e) => (e as HTMLElement).dataset.hp))).toEqual(['eval_freq', 'eval_episodes']);
      const options = await page.$$eval('#train-algo option', (els) => els.map((o) => [(o as HTMLOptionElement).value, (o as HTMLOptionElement).disabled]));
      expect(options.map(([name]) => name).sort()).toEqual(algorithms.map((a: any) => a.name).sort());
      for (const [name, disabled] of options) expect(disabled).toBe(algorithms.find((a: any) => a.name === name).unsupported !== null);
    } finally {
      await client.close();
    }
    // A change is marked, and Back to the defaults undoes it.
    await page.$eval('#hp-details', (d) => ((d as HTMLDetailsElement).open = true));
    await page.fill('#train-form [data-hp="gamma"]', '0.9');
    expect(await page.textContent('#hp-changed')).toBe('1 changed');
    await page.click('#train-reset');
    expect(await page.textContent('#hp-changed')).toBe('');
  });

  test('a run started with a changed hyperparameter trains with it, and its charts show every series', async () => {
    await fillForm(640, { learning_rate: '0.002' });
    await page.click('#train-start');
    await page.waitForFunction(() => /^Finished after 640 timesteps/.test(document.getElementById('train-note')!.textContent ?? ''), undefined, { timeout: 60_000 });
    first = await shownJob();
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    const client = await RpcClient.connect(server.url);
    try {
      const { run, series } = await client.call('run', { run_id: first });
      expect(run.hyperparameters.learning_rate).toBe(0.002);
      expect(run.hyperparameters.n_envs).toBe(2);
      // A chart for each quantity the run reports, the greedy evaluation on the return chart.
      const charts = await page.$$eval('#live-charts canvas', (els) => els.map((c) => (c as HTMLElement).dataset.chart));
      expect(charts).toEqual(expect.arrayContaining(['return', 'length', 'entropy', 'losses/policy', 'losses/value', 'losses/approx_kl', 'losses/clip_fraction', 'steps_per_second']));
      expect(Object.keys(series)).toEqual(expect.arrayContaining(['losses/approx_kl', 'entropy', 'steps_per_second']));
    } finally {
      await client.close();
    }
    const legend = await page.$eval('#return-chart', (c) => (c as HTMLElement).getAttribute('aria-label'));
    expect(legend).toBe('Episode return');
    expect(await page.textContent('#stat-eval')).toMatch(/^\d[\d.,]* ± \d/);
  });

  test('a reload mid-run finds the job again with its curve so far, and so does a second tab', async () => {
    await fillForm(2_000_000, { learning_rate: '0.0005' });
    await page.click('#train-start');
    await page.waitForFunction((f) => (document.getElementById('live-charts') as HTMLElement).dataset.job !== f && Number(document.getElementById('return-chart')?.dataset.points) >= 6, first, { timeout: 60_000 });
    second = await shownJob();
    await page.reload();
    await page.waitForSelector('body[data-connection="connected"]');
    await page.waitForSelector(`#jobs-table tr[data-job="${second}"]`);
    await page.waitForFunction((id) => (document.getElementById('live-charts') as HTMLElement).dataset.job === id, second);
    expect(await page.textContent('#train-note')).toContain(`job ${second}`);
    // The curve is there at once, drawn from the run's record, and keeps growing from the live frames.
    await page.waitForFunction(() => Number(document.getElementById('return-chart')?.dataset.points) >= 6, undefined, { timeout: 10_000 });
    const drawn = Number(await page.getAttribute('#return-chart', 'data-points'));
    await page.waitForFunction((n) => Number(document.getElementById('return-chart')?.dataset.points) > n + 3, drawn, { timeout: 60_000 });

    const other = await context.newPage();
    watchProblems(other, 'second tab');
    await other.goto(server.httpUrl);
    await other.waitForSelector(`#jobs-table tr[data-job="${second}"] button:has-text("Stop")`);
    await other.waitForFunction((id) => (document.getElementById('live-charts') as HTMLElement).dataset.job === id, second);
    await other.close();
  });

  test('Stop in the jobs panel stops the job; it leaves the panel and its run is listed as stopped', async () => {
    await page.click(`#jobs-table tr[data-job="${second}"] button:has-text("Stop")`);
    await page.waitForFunction(() => /^Stopped after/.test(document.getElementById('train-note')!.textContent ?? ''), undefined, { timeout: 30_000 });
    await page.waitForSelector(`#jobs-table tr[data-job="${second}"]`, { state: 'detached' });
    await page.waitForFunction((id) => document.querySelector(`#runs-table tr[data-run="${id}"] td:nth-child(2)`)?.textContent === 'Stopped', second, { timeout: 10_000 });
  });

  test('two runs compared: curves overlaid by timesteps or wall time, settings side by side with differences marked', async () => {
    await page.check(`#runs-table tr[data-run="${first}"] input[type="checkbox"]`);
    await page.check(`#runs-table tr[data-run="${second}"] input[type="checkbox"]`);
    await page.waitForSelector('#compare-view:not([hidden]) #compare-params tr[data-setting="learning_rate"]');
    const row = (setting: string) =>
      page.$eval(`#compare-params tr[data-setting="${setting}"]`, (tr) => ({ differs: tr.classList.contains('differs'), values: Array.from(tr.querySelectorAll('td')).map((td) => td.textContent) }));
    const lr = await row('learning_rate');
    expect(lr.differs).toBe(true);
    expect(lr.values.sort()).toEqual(['0.0005', '0.002']);
    expect(await row('gamma')).toEqual({ differs: false, values: ['0.98', '0.98'] });
    expect((await row('total timesteps')).differs).toBe(true);
    expect(await page.textContent('#compare-diff')).toBe('1 hyperparameter differs (marked).');
    // One chart per series, each with a line for both runs.
    const points = () => page.$eval('#compare-charts canvas[data-chart="mean_return_100"]', (c) => Number((c as HTMLElement).dataset.points));
    expect(await points()).toBeGreaterThan(4);
    expect(await page.$$eval('#compare-charts canvas', (els) => els.map((c) => (c as HTMLElement).dataset.chart))).toEqual(expect.arrayContaining(['mean_return_100', 'evaluation', 'losses/approx_kl', 'entropy']));
    await page.selectOption('#compare-x', 'elapsed_s');
    expect(await page.textContent('#compare-caption')).toMatch(/wall time/);
    expect(await points()).toBeGreaterThan(4);
    await page.locator('#runs-card').screenshot({ path: join(ARTIFACTS, 'web-runs-compare.png') });
  });

  test('an evaluation leaves a run, and the leaderboard ranks the models by their latest evaluation', async () => {
    const client = await RpcClient.connect(server.url);
    let models: any[];
    try {
      models = (await client.call('models', {})).models;
    } finally {
      await client.close();
    }
    const firstModel = models.find((m) => m.name.endsWith(first.slice(0, 8)))!.name;
    await page.click(`#models-table tr[data-model="${firstModel}"] button:has-text("Evaluate")`);
    await page.waitForFunction(() => /over 10 episodes/.test(document.getElementById('eval-result')!.textContent ?? ''), undefined, { timeout: 60_000 });
    const evaluated = /mean return ([\d.,-]+) ± ([\d.,]+) over 10 episodes/.exec((await page.textContent('#eval-result'))!)!;
    await page.waitForSelector(`#runs-table tr[data-kind="evaluate"]`);
    await page.selectOption('#runs-kind', 'evaluate');
    expect(await page.$$eval('#runs-table tbody tr[data-run]', (rows) => rows.length)).toBe(1);
    expect(await page.textContent('#runs-table tbody tr[data-run] td:nth-child(8)')).toBe(`${evaluated[1]} ± ${evaluated[2]} (10)`);
    await page.selectOption('#runs-kind', '');

    await page.selectOption('#board-env', 'CartPole-v1');
    const board = await page.$$eval('#board-table tbody tr[data-model]', (rows) =>
      rows.map((r) => ({ model: (r as HTMLElement).dataset.model, run: (r as HTMLElement).dataset.run, score: r.querySelector('.score')!.textContent, episodes: r.children[4].textContent })),
    );
    expect(board).toHaveLength(2);
    // The first model's latest evaluation is the one just made, over 10 episodes.
    const mine = board.find((b) => b.model === firstModel)!;
    expect(mine).toEqual({ model: firstModel, run: first, score: `${evaluated[1]} ± ${evaluated[2]}`, episodes: '10' });
    expect(board.find((b) => b.model !== firstModel)!.run).toBe(second);
    const means = board.map((b) => Number(b.score!.split(' ± ')[0].replace(/,/g, '')));
    expect(means).toEqual([...means].sort((a, b) => b - a));
  });

  test("a run's metrics and a model download from the page", async () => {
    const csv = await page.evaluate(async (href) => (await fetch(href)).text(), (await page.getAttribute(`#runs-table tr[data-run="${first}"] a`, 'href'))!);
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^wall_time,timesteps,elapsed_s,/);
    expect(lines.length).toBeGreaterThan(3);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#board-table tbody tr[data-model] button:has-text("Download")')]);
    expect(download.suggestedFilename()).toMatch(/^CartPole-v1-ppo-[0-9a-f]{8}\.tfjs\.zip$/);
    expect(readFileSync((await download.path())!).subarray(0, 2).toString()).toBe('PK');
  });

  test('at 400 px and at 1920 px nothing scrolls sideways', async () => {
    await noHorizontalScroll(400);
    await page.screenshot({ path: join(ARTIFACTS, 'web-page-400.png'), fullPage: true });
    await page.locator('#jobs-card').screenshot({ path: join(ARTIFACTS, 'web-jobs-400.png') });
    await page.locator('#board-card').screenshot({ path: join(ARTIFACTS, 'web-board-400.png') });
    // The jobs panel, lists and comparison stay usable: their buttons are on screen.
    const right = await page.$eval(`#runs-table tr[data-run="${first}"] td.actions a`, (a) => a.getBoundingClientRect().right);
    expect(right).toBeLessThanOrEqual(400);
    await noHorizontalScroll(1920);
    await page.screenshot({ path: join(ARTIFACTS, 'web-page-1920.png'), fullPage: true });
  });

  test('no errors in the page and no request left the machine', () => {
    expect(problems).toEqual([]);
  });

  test("a job stopped by the server's shutdown is told as such, before and after the server comes back", async () => {
    await page.setViewportSize({ width: 1400, height: 900 });
    await fillForm(2_000_000, {});
    await page.click('#train-start');
    await page.waitForFunction((ids) => !ids.includes((document.getElementById('live-charts') as HTMLElement).dataset.job ?? '') && Number(document.getElementById('return-chart')?.dataset.points) >= 3, [first, second], { timeout: 60_000 });
    const third = await shownJob();
    const port = new URL(server.httpUrl).port;
    await server.close();
    await page.waitForFunction(() => /shut ?down/.test(document.getElementById('train-note')!.textContent ?? ''), undefined, { timeout: 30_000 });
    expect(await page.textContent('#train-note')).not.toMatch(/goes on/);
    server = await startTestServer({ dataDir, port: Number(port) });
    await page.waitForSelector('body[data-connection="connected"]', { timeout: 30_000 });
    await page.waitForFunction(() => /^Stopped by the server's shutdown after/.test(document.getElementById('train-note')!.textContent ?? ''), undefined, { timeout: 30_000 });
    expect(await page.textContent('#train-note')).toContain(`job ${third}`);
    expect(Number(await page.getAttribute('#return-chart', 'data-points'))).toBeGreaterThan(0);
  });
});
