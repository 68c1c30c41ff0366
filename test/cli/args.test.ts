/** Flag mistakes in words: the nearest flag for a typo, negative numbers refused plainly, one line and exit code 1. */
import { nearest } from '../../src/cli/did_you_mean';
import { cli, dataDir } from './run';

/** The one line a mistake prints, after checking it is one line with exit code 1. */
async function mistake(args: string[]): Promise<string> {
  const { err, code, out } = await cli(args);
  expect(code).toBe(1);
  expect(out).toBe('');
  expect(err.trim().split('\n')).toHaveLength(1);
  return err.trim();
}

test('an unknown flag suggests the nearest one, for the server and for each command', async () => {
  expect(await mistake(['train', 'CartPole-v1', '--timestep', '5'])).toBe('palestra: unknown option --timestep; did you mean --timesteps?');
  expect(await mistake(['--prot', '0'])).toBe('palestra: unknown option --prot; did you mean --port?');
  expect(await mistake(['evaluate', 'm', '--episode', '3'])).toBe('palestra: unknown option --episode; did you mean --episodes?');
  expect(await mistake(['models', '--jsno'])).toBe('palestra: unknown option --jsno; did you mean --json?');
  expect(await mistake(['jobs', '--ulr', 'ws://127.0.0.1:1'])).toBe('palestra: unknown option --ulr; did you mean --url?');
  expect(await mistake(['train', 'CartPole-v1', '--frobnicate'])).toBe('palestra: unknown option --frobnicate; palestra train --help lists the options');
}, 120_000);

test('an unknown command suggests the nearest command', async () => {
  expect(await mistake(['modles'])).toBe('palestra: unknown command "modles"; did you mean palestra models?');
  expect(await mistake(['xyzzy'])).toBe('palestra: unknown command "xyzzy"; palestra --help lists the commands');
});

test('negative numbers are refused in words, not in parser jargon', async () => {
  expect(await mistake(['--port', '-1'])).toBe('palestra: --port must be an integer ≥ 0, got "-1"');
  expect(await mistake(['train', 'CartPole-v1', '--seed', '-3'])).toBe('palestra: --seed must be an integer ≥ 0, got "-3"');
  expect(await mistake(['train', 'CartPole-v1', '--timesteps=-10'])).toBe('palestra: --timesteps must be an integer ≥ 1, got "-10"');
  expect(await mistake(['evaluate', 'm', '--episodes', '-2', '--data-dir', dataDir()])).toBe(
    'palestra: --episodes must be an integer ≥ 1, got "-2"',
  );
  expect(await mistake(['train', '-5'])).toBe('palestra: unexpected negative number -5; palestra train --help lists the options');
}, 120_000);

test('a flag without its value, a value on a switch, and a stray argument each get one plain line', async () => {
  expect(await mistake(['--port'])).toBe('palestra: --port needs a value; palestra --help lists the options');
  expect(await mistake(['models', '--json=yes'])).toBe('palestra: --json takes no value (got "yes")');
  expect(await mistake(['jobs', 'extra'])).toBe('palestra: unexpected argument "extra"; palestra jobs --help lists the options');
  expect(await mistake(['--log-format', 'xml'])).toBe('palestra: --log-format must be one of auto, pretty, json; got xml');
});

test('every command has a --help that lists its flags', async () => {
  for (const [command, flag] of [['train', '--print-config'], ['evaluate', '--episodes'], ['models', '--url'], ['delete', '--data-dir'], ['jobs', '--status']]) {
    const { out, code } = await cli([command, '--help']);
    expect(code).toBe(0);
    expect(out).toContain(`Usage: palestra ${command}`);
    expect(out).toContain(flag);
  }
  const { out } = await cli(['--help']);
  for (const command of ['train', 'evaluate', 'models', 'delete', 'jobs']) expect(out).toContain(`palestra ${command}`);
  expect(out).toContain('--log-format');
}, 120_000);

test('nearest: typos and unique prefixes find their flag; far-off names find none', () => {
  const flags = ['--timesteps', '--seed', '--session', '--algo'];
  expect(nearest('--timestep', flags)).toBe('--timesteps');
  expect(nearest('--sede', flags)).toBe('--seed');
  expect(nearest('--time', flags)).toBe('--timesteps');
  expect(nearest('--learning-rate', flags)).toBeUndefined();
});
