/**
 * The GRPO training API documentation's examples, as its users send them with
 * Python's `requests`, against a Palestra server. Skipped where Python 3 or
 * `requests` is missing, except under CI, where `.ci/run` installs Debian's
 * python3-requests and the test must run.
 */
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { PalestraServer } from '../../src';
import { startTestServer } from '../helpers/server';

const inCI = Boolean(process.env.CI) && process.env.CI !== 'false';
const hasRequests = spawnSync('python3', ['-c', 'import requests'], { stdio: 'ignore' }).status === 0;
const suite = hasRequests || inCI ? describe : describe.skip;

const SCRIPT = join(__dirname, 'grpo_api_examples.py');

suite('the GRPO API documentation\'s examples with Python requests', () => {
  let server: PalestraServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('start training, poll status, inference, jobs, stop, models, health, delete: every reply as documented', async () => {
    // Asynchronously: the server answering the script runs in this process.
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile('python3', [SCRIPT, server.httpUrl], { timeout: 240_000 }, (error, out, err) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: out, stderr: err }),
      );
      child.stdin?.end();
    });
    expect({ code, stderr: stderr.trim() }).toEqual({ code: 0, stderr: '' });
    expect(stdout.trim()).toBe('ok');
  }, 300_000);
});
