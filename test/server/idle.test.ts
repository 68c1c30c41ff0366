/** Idle and dead sockets are closed; busy ones are kept. Real sockets on 127.0.0.1, small bounds. */
import { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { IDLE_CLOSE_CODE, IdleSweeper } from '../../src/server/idle';

let wss: WebSocketServer;
let sweeper: IdleSweeper;
let url: string;

beforeEach(async () => {
  sweeper = new IdleSweeper(0.2);
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  wss.on('connection', (ws) => {
    const watch = sweeper.watch(ws);
    ws.on('message', (data) => {
      watch.active = true;
      ws.send(data);
    });
  });
});

afterEach(async () => {
  sweeper.stop();
  for (const client of wss.clients) client.terminate();
  await new Promise((r) => wss.close(r));
});

function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

it('closes a socket that says nothing with 1001 and a reason naming the option', async () => {
  const ws = new WebSocket(url);
  const { code, reason } = await closed(ws);
  expect(code).toBe(IDLE_CLOSE_CODE);
  expect(reason).toMatch(/--idle-seconds/);
  expect(sweeper.size).toBe(0);
});

it('keeps a socket that keeps talking', async () => {
  const ws = new WebSocket(url);
  await new Promise((r) => ws.once('open', r));
  let closedEarly = false;
  ws.once('close', () => (closedEarly = true));
  // Six idle periods of traffic, a message every 50 ms.
  for (let i = 0; i < 24; i++) {
    ws.send('ping me');
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(closedEarly).toBe(false);
  expect(ws.readyState).toBe(WebSocket.OPEN);
  const gone = closed(ws);
  ws.close();
  await gone;
});

it('terminates a peer that stops answering pings, before the idle close', async () => {
  const ws = new WebSocket(url, { autoPong: false });
  await new Promise((r) => ws.once('open', r));
  // Busy but deaf: it talks, yet never answers a ping.
  const timer = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('x'), 30);
  const { code } = await closed(ws);
  clearInterval(timer);
  expect(code).toBe(1006);
});
