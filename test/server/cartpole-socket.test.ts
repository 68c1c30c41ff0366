/** Every recorded CartPole episode, replayed over a real socket in both framings, matches Gymnasium exactly. */
import type { PalestraServer } from '../../src';
import { episodesOf, loadConformance } from '../helpers/conformance';
import { GymieClient, RpcClient, startTestServer } from '../helpers/server';

let server: PalestraServer;
let rpc: RpcClient;
beforeAll(async () => {
  server = await startTestServer();
  rpc = await RpcClient.connect(server.url);
});
afterAll(async () => {
  rpc.close();
  await server.close();
});

describe.each(loadConformance('CartPole').map((f) => [f.file, f] as const))('%s', (_file, file) => {
  test.each(file.cases.map((c, i) => [i, c.policy, c] as const))('case %i (%s) over JSON-RPC', async (_i, policy, c) => {
    const { instance_id } = await rpc.call('make', { env_id: file.env_id, kwargs: file.kwargs });
    let first = true;
    for (const episode of episodesOf(c)) {
      const [obs, info] = await rpc.call('reset', first ? { instance_id, seed: c.seed } : { instance_id });
      expect([obs, info]).toEqual([episode.reset_obs, episode.reset_info]);
      for (const [k, step] of episode.steps.entries()) {
        if (policy !== 'controller') {
          const seed = first && k === 0 ? { seed: c.action_seed } : {};
          expect(await rpc.call('action_sample', { instance_id, ...seed })).toBe(step.action);
        }
        const result = await rpc.call('step', { instance_id, action: step.action });
        expect(result).toEqual([step.obs, step.reward, step.terminated, step.truncated, step.info]);
      }
      first = false;
    }
    await rpc.call('close', { instance_id });
  });

  test('every case over the Gymie framing (old gym 4-tuples)', async () => {
    const gymie = await GymieClient.connect(server.url);
    for (const c of file.cases) {
      let instance_id = '';
      for (const [e, episode] of episodesOf(c).entries()) {
        // Gymie's reset takes no seed: make(seed) seeds the first reset, later ones carry the stream on.
        if (e === 0) instance_id = await gymie.request('make', { env_id: file.env_id, seed: c.seed });
        expect(JSON.parse(await gymie.request('reset', { instance_id }))).toEqual(episode.reset_obs);
        for (const step of episode.steps) {
          const reply = JSON.parse(await gymie.request('step', { instance_id, action: step.action }));
          const info = step.truncated && !step.terminated ? { ...step.info, 'TimeLimit.truncated': true } : step.info;
          expect(reply).toEqual([step.obs, step.reward, step.terminated || step.truncated, info]);
        }
      }
    }
    gymie.close();
  });
});
