/**
 * Every recorded Gymnasium `SyncVectorEnv` rollout, replayed over the socket
 * with the project's client, in JSON and in binary encoding: the batched
 * `action_sample` after seeding, every observation float32-exact, rewards,
 * flags, infos (`final_obs` under SameStep) and masked resets under Disabled.
 */
import type { PalestraServer } from '../../src';
import { ArrayView, PalestraClient, VectorEnv, connect } from '../../clients/src';
import { RecordedVectorCase as VectorCase, VectorConformanceFile as VectorFile, loadVectorConformance } from '../envs/vector/replay';
import { startTestServer } from '../helpers/server';

const FILES = loadVectorConformance();

/** A reply value as plain JSON: ArrayViews nested (bool as booleans), strings for infinities read back as numbers. */
function plain(x: unknown): unknown {
  if (x instanceof ArrayView) return plain(x.toNested());
  if (Array.isArray(x)) return x.map(plain);
  if (x === 'Infinity' || x === '-Infinity' || x === 'NaN') return Number(x);
  if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)]));
  return x;
}

/** Observations compared as float32, the way Gymnasium keeps them (integers compare exactly either way). */
function f32(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(f32);
  if (typeof x === 'number') return Math.fround(x);
  if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, f32(v)]));
  return x;
}

/** Recorded actions as the binary encoding sends them: a typed array of the batch, shaped. */
function binaryActions(file: VectorFile, actions: unknown): unknown {
  const flat = (actions as unknown[]).flat(Infinity) as number[];
  if (file.single_action_space.name === 'Discrete') return new Int32Array(flat);
  const shape = [file.num_envs, ...((file.single_action_space.shape as number[] | undefined) ?? [])];
  return new ArrayView(Float32Array.from(flat), shape, 'float32');
}

let server: PalestraServer;
let client: PalestraClient;
beforeAll(async () => {
  server = await startTestServer();
  client = await connect(server.url);
});
afterAll(async () => {
  await client.close();
  await server.close();
});

/**
 * Replays one case on a fresh vector env and checks every recorded value. The
 * calls are sent without waiting for each answer (the server answers a
 * connection's requests in order), so a case costs one round trip's latency.
 */
async function replay(file: VectorFile, c: VectorCase, encoding: 'json' | 'binary'): Promise<void> {
  const envs: VectorEnv = await client.makeVec(file.env_id, { numEnvs: file.num_envs, autoresetMode: file.autoreset_mode, kwargs: file.kwargs, encoding });
  try {
    const reset = envs.reset({ seed: c.seed });
    const calls = c.steps.map((s, t) => {
      const sampled = envs.actionSample(t === 0 ? c.action_seed : undefined);
      const stepped = envs.step(encoding === 'binary' ? binaryActions(file, s.actions) : s.actions);
      let masked: Promise<unknown[]> | null = null;
      if (s.reset_mask) {
        const mask = encoding === 'binary' ? new ArrayView(Uint8Array.from(s.reset_mask, Number), [s.reset_mask.length], 'bool') : s.reset_mask;
        masked = envs.reset({ options: { reset_mask: mask } });
      }
      return Promise.all([sampled, stepped, masked]);
    });
    const [obs, info] = await reset;
    expect(f32(plain(obs))).toEqual(f32(c.reset_obs));
    expect(plain(info)).toEqual(c.reset_info);
    const answers = await Promise.all(calls);
    for (const [t, s] of c.steps.entries()) {
      const [sampled, [o, rewards, terminations, truncations, stepInfo], masked] = answers[t];
      const where = `${file.file} seed ${c.seed} step ${t} (${encoding})`;
      expect([where, plain(sampled)]).toEqual([where, s.actions]);
      expect([where, f32(plain(o))]).toEqual([where, f32(s.obs)]);
      expect([where, plain(rewards), plain(terminations), plain(truncations)]).toEqual([where, s.rewards, s.terminations, s.truncations]);
      expect([where, f32(plain(stepInfo))]).toEqual([where, f32(s.info)]);
      if (s.reset_mask) {
        const [ro, ri] = masked as unknown[];
        expect([where, f32(plain(ro)), f32(plain(ri))]).toEqual([where, f32(s.reset_obs), f32(s.reset_info)]);
      }
    }
  } finally {
    await envs.close();
  }
}

describe.each(['json', 'binary'] as const)('%s encoding', (encoding) => {
  test.each(FILES.map((f) => [f.file, f] as const))('%s', async (_name, file) => {
    for (const c of file.cases) await replay(file, c, encoding);
  });
});
