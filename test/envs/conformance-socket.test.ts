/** The first recorded episode of every conformance file, replayed over a real WebSocket with JSON-RPC. */
import WebSocket from 'ws';
import { start } from '../../src';
import { episodesOf, loadConformance } from '../helpers/conformance';

type Server = Awaited<ReturnType<typeof start>>;

/** A minimal JSON-RPC 2.0 client: one socket, replies matched by id. */
class Rpc {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data));
      const waiter = this.pending.get(msg.id);
      if (!waiter) return;
      this.pending.delete(msg.id);
      if (msg.error) waiter.reject(Object.assign(new Error(msg.error.message), { rpc: msg.error }));
      else waiter.resolve(msg.result);
    });
  }

  static connect(url: string): Promise<Rpc> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(new Rpc(ws)));
      ws.once('error', reject);
    });
  }

  call(method: string, params: Record<string, unknown>): Promise<any> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  close(): void {
    this.ws.close();
  }
}

let server: Server;
let rpc: Rpc;
beforeAll(async () => {
  server = await start({ host: '127.0.0.1', port: 0, logLevel: 'silent' });
  rpc = await Rpc.connect(`ws://127.0.0.1:${server.port}`);
});
afterAll(async () => {
  rpc.close();
  await server.close();
});

describe.each(loadConformance().map((f) => [f.file, f] as const))('%s over JSON-RPC', (_name, file) => {
  test('make answers Gymnasium\'s spec', async () => {
    const made = await rpc.call('make', { env_id: file.env_id, kwargs: file.kwargs });
    expect({
      max_episode_steps: made.max_episode_steps,
      reward_threshold: made.reward_threshold,
      observation_space: made.observation_space,
      action_space: made.action_space,
    }).toEqual(file.spec);
    await rpc.call('close', { instance_id: made.instance_id });
  });

  test('the first case is reproduced exactly, action samples included', async () => {
    const c = file.cases[0];
    const { instance_id } = await rpc.call('make', { env_id: file.env_id, kwargs: file.kwargs });
    for (const [e, episode] of episodesOf(c).entries()) {
      const [obs, info] = await rpc.call('reset', e === 0 ? { instance_id, seed: c.seed } : { instance_id });
      expect({ e, reset: [obs, info] }).toEqual({ e, reset: [episode.reset_obs, episode.reset_info] });
      for (const [t, step] of episode.steps.entries()) {
        if (c.policy !== 'controller') {
          const seeded = e === 0 && t === 0 ? { seed: c.action_seed } : {};
          expect({ e, t, action: await rpc.call('action_sample', { instance_id, ...seeded }) }).toEqual({ e, t, action: step.action });
        }
        const result = await rpc.call('step', { instance_id, action: step.action });
        expect({ e, t, result }).toEqual({ e, t, result: [step.obs, step.reward, step.terminated, step.truncated, step.info] });
      }
    }
    await rpc.call('close', { instance_id });
  });
});
