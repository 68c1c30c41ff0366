import { make } from '../../src/envs';
import { MountainCarEnv } from '../../src/envs/classic_control/mountain_car';
import { Continuous_MountainCarEnv } from '../../src/envs/classic_control/continuous_mountain_car';
import { PalestraError } from '../../src/errors';
import { loadConformance, replayCase, specOf } from '../helpers/conformance';

const files = [...loadConformance('MountainCar-'), ...loadConformance('MountainCarContinuous')];

describe.each(files.map((f) => [f.file, f] as const))('conformance %s', (_name, file) => {
  test('spec matches Gymnasium', () => {
    expect(specOf(make(file.env_id, { kwargs: file.kwargs }))).toEqual(file.spec);
  });

  test.each(file.cases.map((c, i) => [i, c.policy, c.seed, c] as const))('case %i (%s, seed %s) reproduced exactly', (_i, _p, _s, c) => {
    replayCase(make, file, c, { state: (env: MountainCarEnv | Continuous_MountainCarEnv) => ({ state: Array.from(env.state!) }) });
  });
});
