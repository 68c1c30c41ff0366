/** Seeds past 2^53 reproduce Gymnasium: the 20 recorded episodes seeded from 2^53+1 to 10^20+7, replayed in-process. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { make } from '../../src/envs';
import { BIGSEED_DIR, ConformanceFile, RecordedCase, replayCase } from '../helpers/conformance';

/** A recorded case whose seeds are decimal strings, as `bigseeds.json` holds them. */
type BigSeedCase = Omit<RecordedCase, 'seed' | 'action_seed'> & { env_id: string; seed: string; action_seed: string };

const cases: BigSeedCase[] = JSON.parse(readFileSync(join(BIGSEED_DIR, 'bigseeds.json'), 'utf8')).cases;

test('all 20 recorded cases are there, every seed past 2^53', () => {
  expect(cases).toHaveLength(20);
  for (const c of cases) expect(BigInt(c.seed)).toBeGreaterThan(2n ** 53n);
});

describe.each(cases.map((c) => [c.env_id, c.seed, c] as const))('%s seeded %s', (env_id, _seed, c) => {
  const file = { env_id, kwargs: {} } as ConformanceFile;

  test('reproduced exactly with bigint seeds', () => {
    replayCase(make, file, { ...c, seed: BigInt(c.seed), action_seed: BigInt(c.action_seed) } as unknown as RecordedCase);
  });

  test('reproduced exactly with the seeds as decimal strings', () => {
    replayCase(make, file, c as unknown as RecordedCase);
  });
});
