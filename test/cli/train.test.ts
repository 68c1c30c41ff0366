/** `palestra train` and `palestra evaluate` from a shell: a progress bar, a result line, a saved model. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULTS, defaultsFor } from '../../src/train/algorithms/defaults';
import { hyperparameterSchema } from '../../src/train/core/hyperparameters';

const ROOT = join(__dirname, '..', '..');

/** Runs the CLI to its end (bounded in time) and answers its output and exit code. */
function cli(args: string[]): Promise<{ out: string; err: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'src', 'cli', 'index.ts'), ...args], { cwd: ROOT });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out: ${err}`));
    }, 90000);
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ out, err, code });
    });
  });
}

test('train prints progress and a final line, saves the model, and evaluate scores it', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'palestra-cli-'));
  const trained = await cli([
    'train', 'FrozenLake-v1', '--algo', 'q_learning', '--timesteps', '3000', '--seed', '1',
    '--env-kwarg', 'is_slippery=false', '--name', 'lake', '--data-dir', dataDir,
  ]);
  expect(trained.code).toBe(0);
  expect(trained.err).toMatch(/Training q_learning on FrozenLake-v1 for 3000 steps/);
  expect(trained.err).toMatch(/\d+\/3000 steps/);
  // Piped, the bar writes a line per tenth of the run; only the last step reads 100%.
  for (const line of trained.err.split('\n').filter((l) => / 100%/.test(l))) expect(line).toMatch(/ 3000\/3000 steps/);
  expect(trained.out).toMatch(/^done: model lake saved in .*: 3000 steps .*evaluation: mean return 1\.00/m);

  const evaluated = await cli(['evaluate', 'lake', '--episodes', '5', '--data-dir', dataDir, '--json']);
  expect(evaluated.code).toBe(0);
  expect(JSON.parse(evaluated.out)).toMatchObject({ model: 'lake', env_id: 'FrozenLake-v1', episodes: 5, mean_return: 1, returns: [1, 1, 1, 1, 1] });
}, 120000);

test('mistakes are one line and exit code 1', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'palestra-cli-'));
  const unknown = await cli(['evaluate', 'no-such-model', '--data-dir', dataDir]);
  expect(unknown.code).toBe(1);
  expect(unknown.err.trim()).toBe('palestra: No saved model named no-such-model');
  const badAlgo = await cli(['train', 'CartPole-v1', '--algo', 'sarsa', '--data-dir', dataDir]);
  expect(badAlgo.code).toBe(1);
  expect(badAlgo.err.trim().split('\n')).toHaveLength(1);
  expect(badAlgo.err).toMatch(/sarsa/);
}, 120000);

test('train --print-config prints the defaults merged with the flags, and trains nothing', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'palestra-cli-'));
  const printed = await cli(['train', 'CartPole-v1', '--print-config', '--hp', 'gamma=0.95', '--seed', '7', '--data-dir', dataDir]);
  expect(printed.code).toBe(0);
  const config = JSON.parse(printed.out);
  const cartpole = defaultsFor('ppo', 'CartPole-v1');
  expect(config).toEqual({
    env_id: 'CartPole-v1',
    algorithm: 'ppo',
    total_timesteps: DEFAULTS.ppo['CartPole-v1'].total_timesteps,
    seed: 7,
    early_stop: false,
    env_kwargs: {},
    wrappers: [],
    hyperparameters: { ...cartpole.hyperparameters, gamma: 0.95 },
  });
  // The environment's row overrides the algorithm's; the algorithm's fills the rest.
  expect(config.hyperparameters.learning_rate).toBe(DEFAULTS.ppo['CartPole-v1'].hyperparameters.learning_rate);
  expect(config.hyperparameters.clip_range).toBe(hyperparameterSchema('ppo').properties.clip_range.default);
  expect(existsSync(join(dataDir, 'models'))).toBe(false);

  const budget = JSON.parse((await cli(['train', 'FrozenLake-v1', '--print-config', '--timesteps', '500'])).out);
  expect(budget).toMatchObject({ algorithm: 'q_learning', total_timesteps: 500, seed: null });

  // A row's wrappers are part of the run, so they are printed too.
  const car = JSON.parse((await cli(['train', 'MountainCarContinuous-v0', '--print-config'])).out);
  expect(car).toMatchObject({ algorithm: 'ppo', wrappers: [{ name: 'NormalizeObservation' }] });

  const wrong = await cli(['train', 'CartPole-v1', '--print-config', '--hp', 'gamma=2']);
  expect(wrong.code).toBe(1);
  expect(wrong.err.trim().split('\n')).toHaveLength(1);
  expect(wrong.err).toMatch(/^palestra: .*gamma/);
}, 120_000);

test('Ctrl-C stops a run: it says the policy is being saved, then prints the result line with the model on disk', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'palestra-cli-'));
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'src', 'cli', 'index.ts'), 'train', 'CartPole-v1', '--algo', 'ppo', '--timesteps', '10000000', '--seed', '2', '--name', 'cut', '--data-dir', dataDir], { cwd: ROOT });
  let out = '';
  let err = '';
  let interrupted = false;
  const ended = new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out: ${err}`));
    }, 90_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => {
    err += d;
    // The first progress line: the run is under way and Ctrl-C is handled.
    if (!interrupted && /\d+\/10000000 steps/.test(err)) {
      interrupted = true;
      child.kill('SIGINT');
    }
  });
  expect(await ended).toBe(0);
  const steps = Number(/Stopped after (\d+) steps; saving the policy/.exec(err)?.[1]);
  expect(steps).toBeGreaterThan(0);
  expect(out).toMatch(new RegExp(`^stopped: model cut saved in .*: ${steps} steps`, 'm'));
  expect(existsSync(join(dataDir, 'models', 'cut.json'))).toBe(true);
}, 120_000);
