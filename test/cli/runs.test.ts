/** `palestra runs` and `palestra runs show`: the runs `palestra train` recorded, from the data directory or a running server. */
import { cli, dataDir, serve } from './run';

const dir = dataDir();
let lakeId: string;

beforeAll(async () => {
  const lake = await cli(['train', 'FrozenLake-v1', '--algo', 'q_learning', '--timesteps', '2000', '--seed', '1', '--env-kwarg', 'is_slippery=false', '--name', 'lake', '--session', 'class', '--data-dir', dir]);
  expect(lake.code).toBe(0);
  lakeId = /run ([0-9a-f]{32}) recorded/.exec(lake.out)![1];
  const pole = await cli(['train', 'CartPole-v1', '--algo', 'ppo', '--timesteps', '256', '--seed', '2', '--name', 'pole', '--data-dir', dir,
    '--hp', 'n_envs=2', '--hp', 'n_steps=32', '--hp', 'batch_size=32', '--hp', 'n_epochs=1', '--hp', 'hidden_size=8', '--hp', 'eval_episodes=1']);
  expect(pole.code).toBe(0);
}, 120_000);

test('runs prints a table, newest first, and filters', async () => {
  const listed = await cli(['runs', '--data-dir', dir]);
  expect(listed.code).toBe(0);
  const lines = listed.out.trim().split('\n');
  expect(lines[0].split(/\s{2,}/)).toEqual(['RUN', 'STATUS', 'ALGORITHM', 'ENV', 'STEPS', 'MEAN100', 'EVAL', 'STARTED (UTC)', 'MODEL']);
  expect(lines.slice(1).map((l) => l.split(/\s+/).slice(1, 5))).toEqual([
    ['completed', 'ppo', 'CartPole-v1', '256/256'],
    ['completed', 'q_learning', 'FrozenLake-v1', '2000/2000'],
  ]);
  expect(lines[2].startsWith(lakeId.slice(0, 8))).toBe(true);
  const filtered = await cli(['runs', '--data-dir', dir, '--algo', 'q_learning', '--json']);
  expect(JSON.parse(filtered.out).runs.map((r: { run_id: string }) => r.run_id)).toEqual([lakeId]);
  const none = await cli(['runs', '--data-dir', dir, '--status', 'failed']);
  expect(none.out.trim()).toMatch(/^No recorded runs that match in /);
  const bad = await cli(['runs', '--data-dir', dir, '--sort', 'colour']);
  expect(bad.code).toBe(1);
  expect(bad.err).toMatch(/--sort must be one of started_at, mean_return_100, evaluation, timesteps/);
}, 60_000);

test('runs show names a run by the start of its id and prints its settings, figures and evaluations; --csv its metrics', async () => {
  const shown = await cli(['runs', 'show', lakeId.slice(0, 8), '--data-dir', dir]);
  expect(shown.code).toBe(0);
  expect(shown.out).toMatch(new RegExp(`^run +${lakeId}$`, 'm'));
  expect(shown.out).toMatch(/^status +completed \(total_timesteps\)$/m);
  expect(shown.out).toMatch(/^environment +FrozenLake-v1 \{"is_slippery":false\}$/m);
  expect(shown.out).toMatch(/^ {2}learning_rate +\d/m);
  expect(shown.out).toMatch(/^ {2}epsilon +\d/m);
  expect(shown.out).toMatch(/^evaluations$/m);
  const csv = await cli(['runs', 'show', lakeId, '--data-dir', dir, '--csv']);
  const rows = csv.out.trim().split('\r\n');
  expect(rows[0].split(',').slice(0, 3)).toEqual(['wall_time', 'timesteps', 'elapsed_s']);
  expect(rows.at(-1)!.split(',')[1]).toBe('2000');
  const unknown = await cli(['runs', 'show', 'abc', '--data-dir', dir]);
  expect(unknown.code).toBe(1);
  expect(unknown.err.trim()).toBe(`palestra: no run abc in ${dir}/runs`);
}, 60_000);

test('with --url a running server lists and shows its runs', async () => {
  const server = await serve(['--data-dir', dir, '--log-level', 'silent']);
  try {
    const listed = JSON.parse((await cli(['runs', '--url', server.url, '--json', '--sort', 'started_at'])).out);
    expect(listed.runs.map((r: { model: string }) => r.model)).toEqual(['lake', 'pole']);
    const shown = await cli(['runs', 'show', lakeId.slice(0, 6), '--url', server.url]);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/^model +lake$/m);
    const csv = await cli(['runs', 'show', lakeId, '--url', server.url, '--csv']);
    expect(csv.out.split('\r\n')[0]).toMatch(/^wall_time,timesteps,elapsed_s,/);
  } finally {
    await server.stop();
  }
}, 90_000);

test('palestra evaluate leaves an evaluation run; --kind picks evaluations or training runs', async () => {
  const evaluated = await cli(['evaluate', 'lake', '--episodes', '3', '--data-dir', dir]);
  expect(evaluated.code).toBe(0);
  const listed = await cli(['runs', '--data-dir', dir, '--kind', 'evaluate']);
  const lines = listed.out.trim().split('\n');
  expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(1, 3))).toEqual([['completed', 'q_learning (eval)']]);
  expect(lines[1]).toMatch(/ lake$/);
  const training = JSON.parse((await cli(['runs', '--data-dir', dir, '--kind', 'train', '--json'])).out);
  expect(training.runs.map((r: { model: string }) => r.model).sort()).toEqual(['lake', 'pole']);
  const bad = await cli(['runs', '--data-dir', dir, '--kind', 'both']);
  expect([bad.code, bad.err.trim()]).toEqual([1, 'palestra: --kind must be train or evaluate; got both']);
}, 60_000);
