/** monitor/start and monitor/close record episodes as Gymnasium's RecordEpisodeStatistics summarises them. */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PalestraServer } from '../../src';
import { startTestServer } from '../helpers/server';
import { PythonStyleClient, expectError } from './client';

let server: PalestraServer;
let client: PythonStyleClient;
let dataDir: string;
beforeAll(async () => {
  server = await startTestServer();
  client = new PythonStyleClient(server.httpUrl);
  dataDir = server.state.options.dataDir;
});
afterAll(() => server.close());

const filesIn = (dir: string) => readdirSync(dir).sort();
const fileLike = (dir: string, prefix: string) => {
  const name = filesIn(dir).find((f) => f.startsWith(prefix));
  if (!name) throw new Error(`no ${prefix}* in ${dir}`);
  return readFileSync(join(dir, name), 'utf8');
};

/** Runs one CartPole episode with a fixed action; answers the last step's reply and the step count. */
async function episode(id: string, action = 1): Promise<{ last: any; steps: number }> {
  await client.env_reset(id);
  let last: any = { done: false };
  let steps = 0;
  while (!last.done) {
    last = (await client.env_step(id, action)).json;
    steps++;
  }
  return { last, steps };
}

test('episodes: info.episode {r, l, t} at the end, a JSON line each, stats and manifest on close', async () => {
  const id = (await client.post('/v1/envs/', { env_id: 'CartPole-v1', seed: 1 })).json.instance_id;
  const started = await client.env_monitor_start(id, 'run1', true);
  expect(started.status).toBe(200);
  expect(started.json).toEqual({ directory: 'monitor/run1', video: false });

  const first = await episode(id, 1);
  expect(first.last.info.episode).toEqual({ r: first.steps, l: first.steps, t: expect.any(Number) });
  expect(first.last.info.episode.t).toBeGreaterThanOrEqual(0);
  const second = await episode(id, 0);
  // An unfinished episode is dropped, as RecordEpisodeStatistics drops it on reset.
  await client.env_reset(id);
  await client.env_step(id, 1);

  expect((await client.env_monitor_close(id)).json).toEqual({ episodes: 2 });
  const dir = join(dataDir, 'monitor', 'run1');
  expect(filesIn(dir).map((f) => f.replace(/\.\d+\.[0-9a-f]{8}\./, '.N.ID.'))).toEqual([
    'openaigym.episode_batch.N.ID.stats.json',
    'openaigym.episodes.N.ID.jsonl',
    'openaigym.manifest.N.ID.manifest.json',
  ]);

  const lines = fileLike(dir, 'openaigym.episodes.').trim().split('\n');
  expect(lines).toHaveLength(2);
  const episodes = lines.map((l) => JSON.parse(l));
  expect(episodes.map((e) => e.episode.l)).toEqual([first.steps, second.steps]);
  expect(episodes.map((e) => e.episode.r)).toEqual([first.steps, second.steps]);
  expect(lines[0]).toMatch(/"r":\d+\.0,"l":\d+,"t":/);
  expect(episodes[0]).not.toHaveProperty('observations');

  const stats = JSON.parse(fileLike(dir, 'openaigym.episode_batch.'));
  expect(stats).toEqual({
    initial_reset_timestamp: expect.any(Number),
    timestamps: [expect.any(Number), expect.any(Number)],
    episode_lengths: [first.steps, second.steps],
    episode_rewards: [first.steps, second.steps],
    episode_types: ['t', 't'],
    episode_times: [expect.any(Number), expect.any(Number)],
  });
  expect(stats.timestamps[0]).toBeGreaterThanOrEqual(stats.initial_reset_timestamp);
  expect(stats.timestamps[0]).toBeLessThanOrEqual(Date.now() / 1000);

  const manifest = JSON.parse(fileLike(dir, 'openaigym.manifest.'));
  expect(manifest).toEqual({
    stats: expect.stringMatching(/^openaigym\.episode_batch\./),
    episodes: expect.stringMatching(/^openaigym\.episodes\./),
    videos: [],
    env_info: { env_id: 'CartPole-v1', palestra_version: server.state.version },
  });

  // After monitor/close, info has no episode statistics.
  expect((await episode(id)).last.info).not.toHaveProperty('episode');
  await client.env_close(id);
});

test('record_trajectories adds each episode’s observations, actions and rewards', async () => {
  const id = (await client.post('/v1/envs/', { env_id: 'CartPole-v1', seed: 2 })).json.instance_id;
  await client.post(`/v1/envs/${id}/monitor/start/`, { directory: 'traj', force: true, record_trajectories: true });
  const reset = (await client.env_reset(id)).json.observation;
  const observations = [reset];
  let done = false;
  while (!done) {
    const r = (await client.env_step(id, 1)).json;
    observations.push(r.observation);
    done = r.done;
  }
  await client.env_monitor_close(id);
  const line = JSON.parse(fileLike(join(dataDir, 'monitor', 'traj'), 'openaigym.episodes.'));
  const l = observations.length - 1;
  expect(line.episode.l).toBe(l);
  expect(line.observations).toEqual(observations);
  expect(line.actions).toEqual(Array(l).fill(1));
  expect(line.rewards).toEqual(Array(l).fill(1));
  await client.env_close(id);
});

test('a client’s directory always lands under the data directory, absolute or not', async () => {
  const id = (await client.env_create('CartPole-v1')).json.instance_id;
  expect((await client.env_monitor_start(id, '/tmp/random-agent-results', true)).json.directory).toBe('monitor/tmp/random-agent-results');
  expect((await client.env_monitor_start(id, 'C:\\runs\\one', true)).json.directory).toBe('monitor/runs/one');
  expect(filesIn(join(dataDir, 'monitor', 'runs', 'one')).length).toBeGreaterThan(0);
  await client.env_close(id);
});

test('existing monitor files: refused without force or resume, cleared by force, kept by resume', async () => {
  const dir = join(dataDir, 'monitor', 'reuse');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'openaigym.manifest.old.manifest.json'), '{}');
  writeFileSync(join(dir, 'notes.txt'), 'mine');
  const id = (await client.env_create('CartPole-v1')).json.instance_id;

  expectError(await client.env_monitor_start(id, 'reuse'), 'invalid_params', 400, /existing monitor files/);

  expect((await client.env_monitor_start(id, 'reuse', false, true)).status).toBe(200);
  await client.env_monitor_close(id);
  expect(filesIn(dir)).toContain('openaigym.manifest.old.manifest.json');
  expect(filesIn(dir).filter((f) => f.startsWith('openaigym.manifest.'))).toHaveLength(2);

  expect((await client.env_monitor_start(id, 'reuse', true)).status).toBe(200);
  await client.env_monitor_close(id);
  // force clears only gym's own files, then this run writes its own.
  expect(filesIn(dir)).not.toContain('openaigym.manifest.old.manifest.json');
  expect(filesIn(dir).filter((f) => f.startsWith('openaigym.manifest.'))).toHaveLength(1);
  expect(filesIn(dir)).toContain('notes.txt');
  await client.env_close(id);
});

test('monitor/close without a monitor running answers zero episodes; closing an env finishes its monitor', async () => {
  const id = (await client.env_create('CartPole-v1')).json.instance_id;
  expect((await client.env_monitor_close(id)).json).toEqual({ episodes: 0 });
  await client.env_monitor_start(id, 'closed-with-env', true);
  await episode(id);
  await client.env_close(id);
  const stats = JSON.parse(fileLike(join(dataDir, 'monitor', 'closed-with-env'), 'openaigym.episode_batch.'));
  expect(stats.episode_lengths).toHaveLength(1);
});

test('starting a monitor again finishes the first one', async () => {
  const id = (await client.env_create('CartPole-v1')).json.instance_id;
  await client.env_monitor_start(id, 'first', true);
  await episode(id);
  await client.env_monitor_start(id, 'second', true);
  expect(JSON.parse(fileLike(join(dataDir, 'monitor', 'first'), 'openaigym.episode_batch.')).episode_lengths).toHaveLength(1);
  await episode(id);
  expect((await client.env_monitor_close(id)).json).toEqual({ episodes: 1 });
  await client.env_close(id);
});

test('video_callable is accepted and ignored: statistics only', async () => {
  const id = (await client.env_create('CartPole-v1')).json.instance_id;
  const reply = await client.env_monitor_start(id, 'video', true, false, 1);
  expect(reply.json).toEqual({ directory: 'monitor/video', video: false });
  await client.env_close(id);
});

test('a directory the server cannot make is refused in words that name no server path', async () => {
  const first = (await client.env_create('CartPole-v1')).json.instance_id;
  await client.env_monitor_start(first, 'taken', true);
  // A monitor file where the client wants a folder.
  const file = readdirSync(join(dataDir, 'monitor', 'taken')).find((f) => f.startsWith('openaigym.episodes.'))!;
  const second = (await client.env_create('CartPole-v1')).json.instance_id;
  const reply = await client.env_monitor_start(second, `taken/${file}/inner`, true);
  expectError(reply, 'invalid_params', 400, /a part of the monitor directory is a file/);
  expect(reply.text).not.toContain(dataDir);
  expect(reply.text).not.toMatch(/"\/[^"]*palestra-test-/);
  await client.env_close(first);
  await client.env_close(second);
});
