/**
 * The real, unmodified gym-http-api Python client against Palestra. The
 * client is not shipped here: set GYM_HTTP_CLIENT to the folder holding
 * openai/gym-http-api's gym_http_client.py (python3 with requests and six).
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { registry } from '../../src/envs';
import { startTestServer } from '../helpers/server';

const clientDir = process.env.GYM_HTTP_CLIENT ?? '';
const ready =
  clientDir !== '' &&
  existsSync(join(clientDir, 'gym_http_client.py')) &&
  spawnSync('python3', ['-c', 'import requests, six'], { stdio: 'ignore' }).status === 0;
const envIds = ['CartPole-v0', 'CartPole-v1', ...(registry.has('FrozenLake-v0') ? ['FrozenLake-v0'] : [])];

(ready ? test : test.skip)(
  `gym_http_client.py creates ${envIds.join(', ')}, resets, steps, samples, checks contains, reads the spaces, monitors and closes` +
    (ready ? '' : ' (needs GYM_HTTP_CLIENT set to the folder holding gym_http_client.py, and python3 with requests and six)'),
  async () => {
    const server = await startTestServer();
    try {
      // Asynchronously: the server runs in this process and must keep answering.
      const { stdout } = await promisify(execFile)('python3', [join(__dirname, 'gym_http_client_driver.py'), server.httpUrl, ...envIds], {
        env: { ...process.env, PYTHONPATH: clientDir },
        timeout: 60_000,
      });
      const seen = JSON.parse(stdout);
      expect(seen.episodes.map((e: { env_id: string }) => e.env_id)).toEqual(envIds);
      for (const e of seen.episodes) expect(e.steps).toBeGreaterThan(0);
      expect(seen.errors.unknown_instance).toMatch(/^Instance_id bad_id unknown/);
      expect(seen.errors.malformed).toMatch(/malformed environment ID/);
    } finally {
      await server.close();
    }
  },
);
