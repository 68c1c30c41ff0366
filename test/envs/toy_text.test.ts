import { make } from '../../src/envs';
import { BlackjackEnv } from '../../src/envs/toy_text/blackjack';
import { loadConformance, replayCase, specOf } from '../helpers/conformance';

const families: [string, (env: any) => Record<string, unknown>][] = [
  ['FrozenLake', (env) => ({ s: env.s })],
  ['Taxi', (env) => ({ s: env.s })],
  ['CliffWalking', (env) => ({ s: env.s })],
  ['Blackjack', (env: BlackjackEnv) => ({ player: env.player, dealer: env.dealer })],
];

describe.each(families)('%s conformance', (prefix, state) => {
  describe.each(loadConformance(prefix).map((f) => [f.file, f] as const))('%s', (_name, file) => {
    test('spec matches Gymnasium', () => {
      expect(specOf(make(file.env_id, { kwargs: file.kwargs }))).toEqual(file.spec);
    });

    test.each(file.cases.map((c, i) => [i, c.policy, c.seed, c] as const))('case %i (%s, seed %s) reproduced exactly', (_i, _p, _s, c) => {
      replayCase(make, file, c, { state });
    });
  });
});
