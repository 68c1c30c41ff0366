/**
 * Send backpressure per client (issue #12): reading pauses when replies pile
 * up past the bound and resumes when they drain; a client that stays congested
 * is closed; progress frames for a slow subscriber coalesce to the latest per
 * job. The first tests drive the outbox with a socket whose buffer the test
 * sets; the last ones use a real client that stops reading.
 */
import type { WebSocket as WsSocket } from 'ws';
import WebSocket from 'ws';
import type { PalestraServer } from '../../src';
import { ERRORS } from '../../src/errors';
import { Outbox } from '../../src/server/outbox';
import { RpcClient, opened, startTestServer } from '../helpers/server';

/** A socket with a buffer the test fills and drains by hand. */
class FakeSocket {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  paused = false;
  readonly sent: string[] = [];
  send(text: string): void {
    this.sent.push(text);
    this.bufferedAmount += text.length;
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
}

function progress(job: string, t: number): [string, unknown, () => string] {
  const params = { job_id: job, timesteps: t };
  return ['train.progress', params, () => JSON.stringify({ method: 'train.progress', params })];
}

describe('the outbox', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function outbox(onStalled = () => {}) {
    const socket = new FakeSocket();
    const box = new Outbox(socket as unknown as WsSocket, { maxBufferedBytes: 100, slowClientMs: 1000 }, onStalled);
    return { socket, box };
  }

  test('past the bound it stops reading; drained to half the bound it reads again', () => {
    const { socket, box } = outbox();
    box.send('x'.repeat(60));
    expect(socket.paused).toBe(false);
    box.send('x'.repeat(60));
    expect(socket.paused).toBe(true);
    socket.bufferedAmount = 51;
    jest.advanceTimersByTime(100);
    expect(socket.paused).toBe(true);
    socket.bufferedAmount = 50;
    jest.advanceTimersByTime(100);
    expect(socket.paused).toBe(false);
    expect(box.congested).toBe(false);
  });

  test('while congested, progress frames keep only the latest per job, in the order they came; others are all kept', () => {
    const { socket, box } = outbox();
    box.send('x'.repeat(200));
    box.push(...progress('a', 1));
    box.push(...progress('b', 1));
    box.push(...progress('a', 2));
    box.push('train.done', { job_id: 'b' }, () => '{"method":"train.done","params":{"job_id":"b"}}');
    box.push(...progress('a', 3));
    box.push('train.done', { job_id: 'a' }, () => '{"method":"train.done","params":{"job_id":"a"}}');
    expect(socket.sent).toHaveLength(1);
    socket.bufferedAmount = 0;
    jest.advanceTimersByTime(100);
    expect(socket.sent.slice(1).map((t) => JSON.parse(t))).toEqual([
      { method: 'train.progress', params: { job_id: 'a', timesteps: 3 } },
      { method: 'train.progress', params: { job_id: 'b', timesteps: 1 } },
      { method: 'train.done', params: { job_id: 'b' } },
      { method: 'train.done', params: { job_id: 'a' } },
    ]);
    // Not congested once what was flushed has drained: frames go at once again.
    socket.bufferedAmount = 0;
    jest.advanceTimersByTime(100);
    box.push(...progress('c', 1));
    expect(socket.sent).toHaveLength(6);
  });

  test('congested past the time allowed, the client is given up once', () => {
    const stalled = jest.fn();
    const { socket, box } = outbox(stalled);
    box.send('x'.repeat(200));
    jest.advanceTimersByTime(900);
    expect(stalled).not.toHaveBeenCalled();
    jest.advanceTimersByTime(300);
    expect(stalled).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(5000);
    expect(stalled).toHaveBeenCalledTimes(1);
    expect(socket.paused).toBe(true);
  });
});

describe('a client that does not read its replies', () => {
  let server: PalestraServer;
  beforeAll(async () => {
    server = await startTestServer({ maxBufferedBytes: 64 * 1024, slowClientSeconds: 0.3 });
  });
  afterAll(() => server.close());

  /** Bytes of the underlying TCP socket stop being read (the client stops reading, as a stalled page would). */
  function stopReading(ws: WebSocket): { resume(): void } {
    const raw = (ws as unknown as { _socket: import('node:net').Socket })._socket;
    raw.pause();
    return { resume: () => raw.resume() };
  }

  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  test('is read from no more once replies pile up, then closed with 1013; the server answers others meanwhile', async () => {
    const ws = await opened(new WebSocket(server.url));
    const reading = stopReading(ws);
    const sent = 5000;
    for (let i = 0; i < sent; i++) ws.send(`{"jsonrpc":"2.0","id":${i},"method":"envs"}`);
    let replies = 0;
    ws.on('message', () => replies++);
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    // Another client is served while this one is stalled.
    const other = await RpcClient.connect(server.url);
    expect(await other.call('health')).toMatchObject({ status: 'ok' });
    await other.close();
    await wait(1500);
    reading.resume();
    expect(await closed).toBe(ERRORS.client_too_slow.gymie_close);
    // The server stopped reading: far fewer replies than requests were ever made.
    expect(replies).toBeGreaterThan(0);
    expect(replies).toBeLessThan(sent);
  });

  test('that reads again before the time allowed gets every reply, in order', async () => {
    const patient = await startTestServer({ maxBufferedBytes: 64 * 1024, slowClientSeconds: 30 });
    try {
      const ws = await opened(new WebSocket(patient.url));
      const reading = stopReading(ws);
      const sent = 400;
      const ids: number[] = [];
      const all = new Promise<void>((resolve) =>
        ws.on('message', (data) => {
          ids.push(JSON.parse(data.toString()).id);
          if (ids.length === sent) resolve();
        }),
      );
      for (let i = 0; i < sent; i++) ws.send(`{"jsonrpc":"2.0","id":${i},"method":"envs"}`);
      await wait(500);
      reading.resume();
      await all;
      expect(ids).toEqual(Array.from({ length: sent }, (_, i) => i));
      ws.close();
    } finally {
      await patient.close();
    }
  });
});
