/** `palestra jobs --url`: a running server's jobs as a table or JSON, with filters. */
import { RpcClient } from '../helpers/server';
import { finalFrame } from '../train/helpers';
import { cli, dataDir, serve, Served } from './run';

let server: Served;
beforeAll(async () => {
  server = await serve(['--data-dir', dataDir(), '--log-level', 'silent', '--max-jobs', '1']);
}, 60_000);
afterAll(() => server?.stop());

test('a server with no jobs says so', async () => {
  const listed = await cli(['jobs', '--url', server.url]);
  expect(listed.code).toBe(0);
  expect(listed.out.trim()).toBe(`No jobs on ${server.url}`);
});

test('a finished training job shows with its status, model and full bar; --json and --status agree', async () => {
  const client = await RpcClient.connect(server.url);
  let jobId: string;
  try {
    const reply = await client.call('train', {
      env_id: 'FrozenLake-v1', algorithm: 'q_learning', total_timesteps: 2000, seed: 3,
      env_kwargs: { is_slippery: false }, name: 'jobs-lake', session: 'cli',
    });
    jobId = reply.job_id;
    expect((await finalFrame(client, jobId, 60_000)).method).toBe('train.done');
  } finally {
    await client.close();
  }

  const listed = await cli(['jobs', '--url', server.url]);
  expect(listed.code).toBe(0);
  const [header, row, ...more] = listed.out.trim().split('\n');
  expect(header.split(/\s{2,}/)).toEqual(['JOB', 'KIND', 'STATUS', 'ENV', 'ALGORITHM', 'MODEL', 'PROGRESS']);
  expect(more).toEqual([]);
  expect(row.split(/\s+/).slice(0, 6)).toEqual([jobId, 'train', 'completed', 'FrozenLake-v1', 'q_learning', 'jobs-lake']);
  expect(row).toContain('[########################] 100% 2000/2000 steps');

  const json = JSON.parse((await cli(['jobs', '--url', server.url, '--json'])).out);
  expect(json.jobs).toHaveLength(1);
  expect(json.jobs[0]).toMatchObject({ job_id: jobId, kind: 'train', status: 'completed', model: 'jobs-lake', session: 'cli' });

  expect((await cli(['jobs', '--url', server.url, '--status', 'completed', '--kind', 'train'])).out).toContain(jobId);
  expect((await cli(['jobs', '--url', server.url, '--status', 'running'])).out.trim()).toBe(`No jobs on ${server.url}`);
  expect((await cli(['jobs', '--url', server.url, '--session', 'nobody'])).out.trim()).toBe(`No jobs on ${server.url}`);
}, 120_000);

test("the server's own refusal of a filter comes through as one line", async () => {
  const bad = await cli(['jobs', '--url', server.url, '--status', 'sleeping']);
  expect(bad.code).toBe(1);
  expect(bad.err.trim().split('\n')).toHaveLength(1);
  expect(bad.err).toMatch(/^palestra: .*status/);
});

test('no server at the address: one line saying so and how to start one', async () => {
  const nobody = await cli(['jobs', '--url', 'ws://127.0.0.1:1']);
  expect(nobody.code).toBe(1);
  expect(nobody.err.trim()).toBe('palestra: cannot reach a Palestra server at ws://127.0.0.1:1 (nothing is listening there); start one with `palestra` or pass --url');
  const notWs = await cli(['jobs', '--url', 'http://127.0.0.1:5000']);
  expect(notWs.err.trim()).toBe('palestra: --url must be a ws:// or wss:// address, like ws://127.0.0.1:5000; got http://127.0.0.1:5000');
});
