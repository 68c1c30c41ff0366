/** The client's training side against a real server: job handles with live frames, stop, watching, models, evaluate, predict. */
import type { PalestraServer } from '../../src';
import { ConnectionClosedError, Discrete, PalestraClient, RpcError, TrainJob, connect } from '../../clients/src';
import type { DoneFrame, ProgressFrame } from '../../clients/src';
import { protocol } from '../../src/server/protocol';
import { rejection, startTestServer } from '../helpers/server';

jest.setTimeout(120_000);

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

/** Collects a job's frames by iterating it, as a user would. */
async function framesOf<P extends ProgressFrame>(job: TrainJob<P, DoneFrame>, onEach?: (frame: P, i: number) => void): Promise<P[]> {
  const frames: P[] = [];
  for await (const frame of job) {
    onEach?.(frame, frames.length);
    frames.push(frame);
  }
  return frames;
}

let model = '';

test('train answers a job handle at once; its frames stream in order and it ends with the summary', async () => {
  const job = await client.train('CartPole-v1', { algorithm: 'ppo', total_timesteps: 4096, seed: 3 });
  expect(job.id).toMatch(/^[0-9a-f]+$/);
  expect(job.started).toMatchObject({ env_id: 'CartPole-v1', algorithm: 'ppo', total_timesteps: 4096, seed: 3 });
  expect(job.state).toBe('running');
  const frames = await framesOf(job);
  const summary = await job.done;
  expect(job.state).toBe('done');
  expect(frames.length).toBeGreaterThan(1);
  for (const frame of frames) expect(protocol().checkFrame('train.progress', frame)).toEqual([]);
  expect(protocol().checkFrame('train.done', summary)).toEqual([]);
  expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => frames[0].seq + i));
  const steps = frames.map((f) => f.timesteps);
  expect([...steps].sort((a, b) => a - b)).toEqual(steps);
  expect(summary).toMatchObject({ job_id: job.id, status: 'completed', stop_reason: 'total_timesteps', env_id: 'CartPole-v1' });
  expect(summary.timesteps).toBeGreaterThanOrEqual(4096);
  expect(job.latest).toBe(frames[frames.length - 1]);
  model = summary.model;
  expect(model).toBe(job.started.model);
});

test('predict answers an action of the action space from a saved policy; a bad observation is a typed error', async () => {
  const env = await client.make<number[], number>('CartPole-v1');
  const [obs] = await env.reset({ seed: 0 });
  const prediction = await client.predict(model, obs);
  expect(env.actionSpace).toBeInstanceOf(Discrete);
  expect(env.actionSpace.contains(prediction.action)).toBe(true);
  expect(prediction.action_probs).toHaveLength(2);
  expect(prediction.model).toBe(model);
  const [, reward] = await env.step(prediction.action as number);
  expect(reward).toBe(1);
  await env.close();
  const bad = await rejection(client.predict(model, [1, 2]));
  expect(bad).toBeInstanceOf(RpcError);
  expect(bad).toMatchObject({ code: 1009, name: 'invalid_observation' });
  expect(await rejection(client.predict('no-such-model', obs))).toMatchObject({ code: 3000, name: 'model_not_found' });
});

test('evaluate streams its progress to the callback and answers the statistics', async () => {
  const seen: Record<string, unknown>[] = [];
  const result = await client.evaluate(model, { episodes: 3, seed: 5, onProgress: (frame) => seen.push(frame) });
  expect(result).toMatchObject({ model, env_id: 'CartPole-v1', episodes: 3, status: 'completed' });
  expect(result.returns).toHaveLength(3);
  expect(result.mean_return).toBeCloseTo(result.returns.reduce((a, b) => a + b, 0) / 3);
  expect(seen.length).toBeGreaterThanOrEqual(1);
  expect(seen.every((f) => f.model === model)).toBe(true);
  expect(seen[seen.length - 1]).toMatchObject({ episodes: 3 });
});

test('stop ends a long job within moments; it keeps what it learned and done reports it stopped', async () => {
  const job = await client.train<ProgressFrame, DoneFrame>('CartPole-v1', { algorithm: 'ppo', total_timesteps: 1_000_000, seed: 4 });
  const stopping: Promise<unknown>[] = [];
  const frames = await framesOf(job, (_, i) => {
    if (i === 2) stopping.push(job.stop());
  });
  // stop answers when the loop has ended: the job is saving, with its final step count.
  const [answer] = (await Promise.all(stopping)) as { status: string; progress: { timesteps: number } }[];
  expect(answer.status).toBe('saving');
  const summary = await job.done;
  expect(summary).toMatchObject({ status: 'stopped', stop_reason: 'stopped', timesteps: answer.progress.timesteps });
  expect(summary.timesteps).toBeLessThan(1_000_000);
  expect(frames.length).toBeGreaterThanOrEqual(3);
  const listed = (await client.jobs()).jobs.find((j) => j.job_id === job.id);
  expect(listed?.status).toBe('stopped');
  expect((await client.job(job.id)).status).toBe('stopped');
  expect((await client.models()).models.map((m) => m.name)).toContain(summary.model);
});

test('another connection can watch a job; a job already over settles its handle at once', async () => {
  const watcher = await connect(server.url);
  const job = await client.train('CartPole-v1', { algorithm: 'ppo', total_timesteps: 3072, seed: 6 });
  const watched = await watcher.watch(job.id);
  expect(watched.id).toBe(job.id);
  const [mine, theirs] = await Promise.all([job.done, watched.done]);
  expect(theirs).toEqual(mine);
  // Watching a finished job gives a handle already settled from the server's record.
  const late = await watcher.watch(job.id);
  expect(late).not.toBe(watched);
  expect(late.state).toBe('done');
  expect(await late.done).toMatchObject({ job_id: job.id, status: 'completed', model: mine.model });
  expect(await framesOf(late)).toEqual([]);
  await watcher.close();
});

test('catalogue errors for bad training requests', async () => {
  // @ts-expect-error: the client's types refuse an algorithm the server does not have; the server refuses it too
  expect(await rejection(client.train('CartPole-v1', { algorithm: 'no-such-algo' }))).toMatchObject({ code: 2001, name: 'unknown_algorithm' });
  expect(await rejection(client.train('CartPole-v1', { algorithm: 'ppo', hyperparameters: { learning_rate: -1 } }))).toMatchObject({ code: 2002, name: 'invalid_hyperparameters' });
  expect(await rejection(client.train('NoSuchEnv-v0'))).toMatchObject({ code: 1000, name: 'env_not_found' });
  expect(await rejection(client.stop('0123456789abcdef'))).toMatchObject({ code: 2000, name: 'job_not_found' });
  expect(await rejection(client.deleteModel('no-such-model'))).toMatchObject({ code: 3000, name: 'model_not_found' });
});

test('deleteModel removes a model from the list', async () => {
  expect(await client.deleteModel(model)).toEqual({ deleted: model });
  expect((await client.models()).models.map((m) => m.name)).not.toContain(model);
});

test('a dropped connection fails the handles of running jobs (the job itself goes on)', async () => {
  const c = await connect(server.url);
  const job = await c.train('CartPole-v1', { algorithm: 'ppo', total_timesteps: 1_000_000, seed: 7 });
  const iterating = framesOf(job);
  await new Promise((resolve) => job.onProgress(resolve));
  // The network goes: the socket dies without a closing handshake.
  (c as unknown as { session: { socket: { terminate(): void } } }).session.socket.terminate();
  const error = await rejection(job.done);
  expect(error).toBeInstanceOf(ConnectionClosedError);
  expect(error.message).toMatch(/was lost/);
  expect(job.state).toBe('disconnected');
  await expect(iterating).rejects.toBeInstanceOf(ConnectionClosedError);
  // The server kept the job; stop it from the other client.
  expect((await client.job(job.id)).status).toMatch(/running|queued/);
  // With wait, stop answers once the model is written (it subscribes to the job, which this client did not start).
  const stopped = await client.stop(job.id, { wait: true });
  expect(stopped).toMatchObject({ status: 'stopped', result: { status: 'stopped', stop_reason: 'stopped' } });
  expect((await client.models()).models.map((m) => m.name)).toContain(stopped.model);
});

test('job.stop({ wait: true }) answers once the model is saved: done has resolved and the model predicts', async () => {
  const job = await client.train<ProgressFrame, DoneFrame>('CartPole-v1', { algorithm: 'dqn', total_timesteps: 1_000_000, seed: 8 });
  await new Promise((resolve) => job.onProgress(resolve));
  const answer = (await job.stop({ wait: true })) as { status: string; result: { timesteps: number }; model: string };
  expect(answer.status).toBe('stopped');
  expect(job.state).toBe('done');
  expect((await job.done).timesteps).toBe(answer.result.timesteps);
  const { action } = await client.predict(answer.model, [0, 0, 0.01, 0]);
  expect([0, 1]).toContain(action);
});
