/**
 * Messages nested far deeper than any real request (issue #12's crash: Gymie
 * params 2,250 objects deep overflowed the stack while being quoted in the
 * close reason and killed the process). At the default limit (64 levels) they
 * are refused before they are parsed, with message_too_deep in either
 * framing; on a server that allows 1,000 levels they reach the methods, whose
 * walkers (repr, spaces, codecs) are bounded. Either way each gets a proper
 * answer and the server answers `health` afterwards.
 */
import type { PalestraServer } from '../../src';
import { ERRORS } from '../../src/errors';
import WebSocket from 'ws';
import { GymieClient, RpcClient, opened, rejection, startTestServer } from '../helpers/server';

let server: PalestraServer;
let deepServer: PalestraServer;
beforeAll(async () => {
  server = await startTestServer();
  deepServer = await startTestServer({ maxMessageDepth: 1000 });
});
afterAll(async () => {
  await server.close();
  await deepServer.close();
});

/** `{"a": {"a": ... {}}}`, `depth` objects deep, as text (JSON.stringify itself would recurse). */
function deepObject(depth: number): string {
  return '{"a":'.repeat(depth) + '{}' + '}'.repeat(depth);
}

function deepList(depth: number): string {
  return '['.repeat(depth) + '0' + ']'.repeat(depth);
}

async function expectHealthy(on = server): Promise<void> {
  const client = await RpcClient.connect(on.url);
  expect(await client.call('health')).toMatchObject({ status: 'ok' });
  await client.close();
}

const TOO_DEEP = ERRORS.message_too_deep;

describe('at the default limit of 64 levels', () => {
  test('Gymie params 2,250 objects deep close the socket with message_too_deep, and the server lives on', async () => {
    const client = await GymieClient.connect(server.url);
    const closed = await client.expectClose(`{"method":"make","params":${deepObject(2250)}}`);
    expect(closed).toEqual({ code: TOO_DEEP.gymie_close, reason: 'Message nests deeper than the limit of 64 levels' });
    await expectHealthy();
  });

  test('on /, the framing the client last used answers: a JSON-RPC reply first, a Gymie close after a Gymie request', async () => {
    const ws = await opened(new WebSocket(server.url));
    const next = (text: string) =>
      new Promise<string>((resolve) => {
        ws.once('message', (data) => resolve(data.toString()));
        ws.send(text);
      });
    // Too deep to be parsed, so nothing tells the framing yet: it is answered as JSON-RPC, and the socket stays open.
    const first = JSON.parse(await next(`{"method":"make","params":${deepObject(2250)}}`));
    expect(first.error.data.name).toBe('message_too_deep');
    expect(await next('{"method":"make","params":{"env_id":"CartPole-v1"}}')).toMatch(/^[0-9a-f]{32}$/);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(`{"method":"make","params":${deepObject(2250)}}`);
    expect(await closed).toBe(TOO_DEEP.gymie_close);
    await expectHealthy();
  });

  test('a JSON-RPC action 2,250 lists deep gets message_too_deep, and the connection steps on', async () => {
    const client = await RpcClient.connect(server.url);
    const { instance_id } = await client.call('make', { env_id: 'Pendulum-v1' });
    await client.call('reset', { instance_id, seed: 0 });
    const reply = await client.raw(`{"jsonrpc":"2.0","id":9,"method":"step","params":{"instance_id":"${instance_id}","action":${deepList(2250)}}}`);
    expect(reply).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: TOO_DEEP.code, message: 'Message nests deeper than the limit of 64 levels', data: { limit: 64, name: 'message_too_deep' } },
    });
    const [obs] = await client.call('step', { instance_id, action: [0] });
    expect(obs).toHaveLength(3);
    await client.close();
    await expectHealthy();
  });

  test('64 levels pass, 65 do not; brackets inside strings do not count', async () => {
    const client = await RpcClient.connect(server.url);
    // params is level 2 and each kwarg level below it counts: 62 more lists make 64.
    const at = (depth: number) => `{"jsonrpc":"2.0","id":1,"method":"make","params":{"env_id":"CartPole-v1","kwargs":{"x":${deepList(depth)}}}}`;
    const ok = await client.raw(at(61));
    expect(ok.error).toMatchObject({ data: { name: 'invalid_kwargs' } });
    const deep = await client.raw(at(62));
    expect(deep.error.data.name).toBe('message_too_deep');
    const quoted = await client.raw(`{"jsonrpc":"2.0","id":2,"method":"make","params":{"env_id":"${'[{'.repeat(40)}"}}`);
    expect(quoted.error.data.name).toBe('env_malformed');
    await client.close();
  });
});

describe('on a server that allows 1,000 levels, the walkers are bounded', () => {
  test('Gymie params 900 objects deep close the socket with a reason, and the server lives on', async () => {
    const client = await GymieClient.connect(deepServer.url);
    const closed = await client.expectClose(`{"method":"make","params":${deepObject(900)}}`);
    expect(closed.code).toBe(1007);
    expect(closed.reason).toMatch(/^Parameters `\{'a': \{'a': .*\.\.\.` are wrong$/);
    expect(Buffer.byteLength(closed.reason)).toBeLessThanOrEqual(123);
    await expectHealthy(deepServer);
  });

  test('a Gymie action 900 lists deep closes with "Action ... is wrong"', async () => {
    const client = await GymieClient.connect(deepServer.url);
    const id = await client.request('make', { env_id: 'CartPole-v1' });
    await client.request('reset', { instance_id: id });
    const closed = await client.expectClose(`{"method":"step","params":{"instance_id":"${id}","action":${deepList(900)}}}`);
    expect(closed.code).toBe(1007);
    expect(closed.reason).toMatch(/^Action `\[\[\[.*\.\.\.` is wrong$/);
    await expectHealthy(deepServer);
  });

  test('Gymie kwargs 900 objects deep are refused with a reason', async () => {
    const client = await GymieClient.connect(deepServer.url);
    const closed = await client.expectClose(`{"method":"make","params":{"env_id":"FrozenLake-v1","kwargs":{"desc":${deepObject(900)}}}}`);
    expect(closed.code).toBe(1007);
    expect(closed.reason.length).toBeGreaterThan(10);
    await expectHealthy(deepServer);
  });

  test('a JSON-RPC action 900 lists deep gets invalid_action, and the connection steps on', async () => {
    const client = await RpcClient.connect(deepServer.url);
    const { instance_id } = await client.call('make', { env_id: 'Pendulum-v1' });
    await client.call('reset', { instance_id, seed: 0 });
    const reply = await client.raw(`{"jsonrpc":"2.0","id":9,"method":"step","params":{"instance_id":"${instance_id}","action":${deepList(900)}}}`);
    expect(reply.error.data.name).toBe('invalid_action');
    expect(reply.error.message).toMatch(/expected shape \[1\]/);
    const [obs] = await client.call('step', { instance_id, action: [0] });
    expect(obs).toHaveLength(3);
    await expect(rejection(client.call('step', { instance_id, action: [[0]] }))).resolves.toMatchObject({ data: { name: 'invalid_action' } });
    await client.close();
    await expectHealthy(deepServer);
  });
});
