/**
 * A Pathmind policy-server user's Python script (requests, a schema.yaml's
 * named fields, the access_token header) against Palestra. Needs python3
 * with requests (Debian's python3-requests, which .ci/run installs); skipped
 * cleanly without them.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer } from '../../helpers/server';
import { actorCritic, cartpoleObservation, saveModel } from './models';

const ready = spawnSync('python3', ['-c', 'import requests'], { stdio: 'ignore' }).status === 0;

const SCHEMA_YAML = `observations:
  cart_position:
    type: float
  cart_velocity:
    type: float
  pole_angle:
    type: float
  pole_angular_velocity:
    type: float
`;

(ready ? test : test.skip)(
  'a requests script reads /schema, predicts with named fields, asks the distribution, and meets 422 and 403 as FastAPI words them' +
    (ready ? '' : ' (needs python3 with requests: apt-get install python3-requests)'),
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'palestra-pathmind-'));
    const policy = actorCritic(cartpoleObservation(), { name: 'Discrete', n: 2, start: 0 });
    await saveModel(dataDir, 'cartpole', policy);
    writeFileSync(join(dataDir, 'schema.yaml'), SCHEMA_YAML);
    const server = await startTestServer({ dataDir, apiKey: 'pathmind-key-123', serveModel: 'cartpole', observationSchema: join(dataDir, 'schema.yaml') });
    try {
      // Asynchronously: the server runs in this process and must keep answering.
      const { stdout } = await promisify(execFile)('python3', [join(__dirname, 'pathmind_client.py'), server.httpUrl, 'pathmind-key-123'], { timeout: 60_000 });
      const seen = JSON.parse(stdout);
      expect(seen.fields).toEqual(['cart_position', 'cart_velocity', 'pole_angle', 'pole_angular_velocity']);
      const probs = policy.predict(Float32Array.from([0.02, -0.3, 0.05, 0.4]), null, true, null as never).action_probs!;
      expect(seen.distribution['0']).toBeCloseTo(probs[0], 5);
      expect(seen.distribution['1']).toBeCloseTo(probs[1], 5);
      const best = probs[1] > probs[0] ? 1 : 0;
      expect(seen.deterministic.actions).toEqual([best]);
      expect(seen.deterministic.probability).toBeCloseTo(probs[best], 5);
      for (const answer of [seen.predict, seen.raw]) {
        expect([0, 1]).toContain(answer.actions[0]);
        expect(answer.probability).toBeCloseTo(probs[answer.actions[0]], 5);
      }
      expect(seen.invalid).toMatchObject({ status: 422, body: { detail: [{ loc: ['body', 'pole_angle'], msg: 'Field required', type: 'missing' }] } });
      expect(seen.refused).toEqual({ status: 403, body: { detail: 'Could not validate credentials' } });
    } finally {
      await server.close();
    }
  },
  90_000,
);
