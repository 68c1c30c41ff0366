/**
 * Binary frames (protocol/binary-frames.md) on the socket: the layout read by
 * an independent numpy decoder, the server's and the client's codecs reading
 * each other, binary requests, `hello`'s encoding, and frames that break the
 * layout refused with invalid_binary_frame before anything runs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { PalestraServer } from '../../src';
import { ArrayView, decodeFrame as clientDecode, encodeFrame as clientEncode } from '../../clients/src';
import { BoolArray, NDArray } from '../../src/api/values';
import { decodeFrame, encodeFrame, resultFrame } from '../../src/server/framing/binary_frame';
import { opened, startTestServer } from '../helpers/server';

/** A socket that hands over each message as it came: a Buffer for binary frames, parsed JSON for text. */
class RawClient {
  private nextId = 1;
  private readonly waiting: ((m: { binary: boolean; data: Buffer }) => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, binary: boolean) => this.waiting.shift()?.({ binary, data }));
  }

  static async connect(url: string): Promise<RawClient> {
    return new RawClient(await opened(new WebSocket(url)));
  }

  /** Sends a message (text or bytes) and resolves the next message. */
  send(message: string | Buffer | ArrayBuffer): Promise<{ binary: boolean; data: Buffer }> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.ws.send(message);
    });
  }

  /** A JSON-RPC request as JSON text. */
  call(method: string, params: unknown): Promise<{ binary: boolean; data: Buffer }> {
    return this.send(JSON.stringify({ jsonrpc: '2.0', id: this.nextId++, method, params }));
  }

  /** A JSON-RPC request whose reply is text: its result, or a thrown error carrying `error`. */
  async json(method: string, params: unknown): Promise<any> {
    const reply = await this.call(method, params);
    expect(reply.binary).toBe(false);
    const message = JSON.parse(reply.data.toString());
    if (message.error) throw Object.assign(new Error(message.error.message), { error: message.error });
    return message.result;
  }
}

let server: PalestraServer;
let raw: RawClient;
beforeAll(async () => {
  server = await startTestServer();
  raw = await RawClient.connect(server.url);
});
afterAll(async () => {
  raw.ws.close();
  await server.close();
});

const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
const withNumpy = hasNumpy ? test : test.skip;

withNumpy("numpy's frombuffer, following the protocol page, reads the server's frames as the JSON encoding's values", async () => {
  const steps = 30;
  const binary = (await raw.json('make_vec', { env_id: 'CartPole-v1', num_envs: 8, seed: 3, encoding: 'binary', autoreset_mode: 'SameStep' })).instance_id;
  const json = (await raw.json('make_vec', { env_id: 'CartPole-v1', num_envs: 8, seed: 3, autoreset_mode: 'SameStep' })).instance_id;
  const frames: Buffer[] = [];
  const expected: unknown[] = [];
  const reset = await raw.call('reset', { instance_id: binary });
  expect(reset.binary).toBe(true);
  frames.push(reset.data);
  expected.push({ jsonrpc: '2.0', id: expect.any(Number), result: await raw.json('reset', { instance_id: json }) });
  for (let t = 0; t < steps; t++) {
    const action = Array.from({ length: 8 }, (_, i) => (t * 7 + i * 3) % 2);
    const reply = await raw.call('step', { instance_id: binary, action });
    expect(reply.binary).toBe(true);
    frames.push(reply.data);
    expected.push({ jsonrpc: '2.0', id: expect.any(Number), result: await raw.json('step', { instance_id: json, action }) });
  }
  const dir = mkdtempSync(join(tmpdir(), 'palestra-frames-'));
  try {
    const paths = frames.map((f, i) => {
      const path = join(dir, `${i}.bin`);
      writeFileSync(path, f);
      return path;
    });
    const decoded = JSON.parse(execFileSync('python3', [join(__dirname, 'decode_binary_frames.py'), ...paths], { encoding: 'utf8' }));
    expect(decoded.map((d: { ends_at_last_array: boolean }) => d.ends_at_last_array)).toEqual(frames.map(() => true));
    // The JSON encoding spells infinities as strings; CartPole's observations and rewards are finite.
    expect(decoded.map((d: { message: unknown }) => d.message)).toEqual(expected);
    // Some copy ended within the run, so final_obs (a list with null for the other copies) was decoded too.
    expect(JSON.stringify(decoded)).toContain('"final_obs"');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the server's frames and the client's read each other", () => {
  const obs = new NDArray(Float32Array.from([0.5, -1.25, 3, Infinity, 1e-40, -0]), [2, 3]);
  const result = [obs, Float64Array.from([1, 0.1]), BoolArray.fromValues([true, false]), { _x: BoolArray.fromValues([false, true]), x: new Int32Array([0, -7]), note: 'é' }];
  const frame = resultFrame(12, result);
  // Copied into a fresh ArrayBuffer, as a browser's WebSocket hands a message over.
  const message = clientDecode(new Uint8Array(frame).buffer) as { id: number; result: unknown[] };
  expect(message.id).toBe(12);
  const [o, r, t, info] = message.result as [ArrayView, ArrayView, ArrayView, Record<string, ArrayView | string>];
  expect([o.dtype, o.shape, Array.from(o.data as Float32Array)]).toEqual(['float32', [2, 3], Array.from(obs.data as Float32Array)]);
  expect(o.data.byteOffset % 8).toBe(0);
  expect([r.dtype, Array.from(r.data as Float64Array)]).toEqual(['float64', [1, 0.1]]);
  expect([t.dtype, t.toNested()]).toEqual(['bool', [true, false]]);
  expect((info._x as ArrayView).toNested()).toEqual([false, true]);
  expect((info.x as ArrayView).toNested()).toEqual([0, -7]);
  expect(info.note).toBe('é');

  const request = { jsonrpc: '2.0', id: 1, method: 'step', params: { instance_id: 'x', action: new ArrayView(Float32Array.from([1, 2, 3, 4]), [2, 2], 'float32'), mask: new ArrayView(Uint8Array.from([1, 0]), [2], 'bool') } };
  const back = decodeFrame(Buffer.from(clientEncode(request))) as { params: { action: NDArray; mask: BoolArray } };
  expect(back.params.action.shape).toEqual([2, 2]);
  expect(Array.from(back.params.action.data)).toEqual([1, 2, 3, 4]);
  expect(back.params.mask).toBeInstanceOf(BoolArray);
  expect(Array.from(back.params.mask)).toEqual([1, 0]);
  // And the server's encoder writes what its decoder reads, at any alignment of the received buffer.
  const shifted = Buffer.concat([Buffer.alloc(3), encodeFrame(request)]).subarray(3);
  expect(Array.from((decodeFrame(shifted) as typeof back).params.action.data)).toEqual([1, 2, 3, 4]);
});

test('a step sent as a binary frame (an Int32Array of actions) is answered in the instance encoding', async () => {
  const binary = (await raw.json('make_vec', { env_id: 'CartPole-v1', num_envs: 4, seed: 0, encoding: 'binary' })).instance_id;
  const json = (await raw.json('make_vec', { env_id: 'CartPole-v1', num_envs: 4, seed: 0 })).instance_id;
  await raw.call('reset', { instance_id: binary });
  await raw.json('reset', { instance_id: json });
  const actions = Int32Array.from([1, 0, 1, 1]);
  const framed = await raw.send(Buffer.from(clientEncode({ jsonrpc: '2.0', id: 99, method: 'step', params: { instance_id: binary, action: actions } })));
  expect(framed.binary).toBe(true);
  const viaJson = await raw.send(Buffer.from(clientEncode({ jsonrpc: '2.0', id: 100, method: 'step', params: { instance_id: json, action: actions } })));
  expect(viaJson.binary).toBe(false);
  const decoded = clientDecode(new Uint8Array(framed.data).buffer) as { id: number; result: ArrayView[] };
  const text = JSON.parse(viaJson.data.toString());
  expect(decoded.id).toBe(99);
  expect(decoded.result.slice(0, 4).map((a) => a.toNested())).toEqual(text.result.slice(0, 4));

  // A binary batch of the wrong length is refused as a JSON batch would be.
  const bad = await raw.send(Buffer.from(clientEncode({ jsonrpc: '2.0', id: 101, method: 'step', params: { instance_id: binary, action: Int32Array.from([1, 0, 3]) } })));
  expect(bad.binary).toBe(false);
  expect(JSON.parse(bad.data.toString())).toMatchObject({ id: 101, error: { code: 1003, data: { name: 'invalid_action', num_envs: 4 } } });
});

test("hello's encoding makes binary the connection's default; make_vec's own encoding wins", async () => {
  const other = await RawClient.connect(server.url);
  try {
    await other.json('hello', { encoding: 'binary' });
    const framed = await other.json('make_vec', { env_id: 'CartPole-v1', num_envs: 2 });
    expect(framed.encoding).toBe('binary');
    expect((await other.call('reset', { instance_id: framed.instance_id })).binary).toBe(true);
    const text = await other.json('make_vec', { env_id: 'CartPole-v1', num_envs: 2, encoding: 'json' });
    expect((await other.call('reset', { instance_id: text.instance_id })).binary).toBe(false);
    // Errors are JSON text, whatever the encoding.
    const error = await other.call('step', { instance_id: framed.instance_id, action: [5, 0] });
    expect(error.binary).toBe(false);
    expect(JSON.parse(error.data.toString()).error.data).toMatchObject({ name: 'invalid_action', copy: 0, action: 5 });
    for (const made of [framed, text]) expect(await other.json('close', { instance_id: made.instance_id })).toBe(true);
  } finally {
    other.ws.close();
  }
});

describe('a frame that breaks the layout is invalid_binary_frame, and nothing runs', () => {
  const good = () => encodeFrame({ jsonrpc: '2.0', id: 5, method: 'make_vec', params: { env_id: 'CartPole-v1', num_envs: 2, seed: new Int32Array([1]) } });
  const cases: [string, () => Buffer, RegExp][] = [
    ['a wrong version', () => good().fill(2, 4, 5), /version 2 is not 1/],
    ['flags set', () => good().fill(1, 6, 7), /flags 1 are not 0/],
    ['a JSON length past the end', () => { const f = good(); f.writeUInt32LE(1 << 20, 8); return f; }, /json_length .* runs past/],
    ['a wrong body offset', () => { const f = good(); f.writeUInt32LE(f.readUInt32LE(12) + 8, 12); return f; }, /body_offset .* is not align8/],
    ['a header that is not JSON', () => { const f = good(); f.write('}', 16); return f; }, /not valid JSON/],
    ['an array running past the end', () => good().subarray(0, good().length - 2), /runs past the message/],
    ['an unknown dtype', () => Buffer.from(good().toString('latin1').replace('"int32"', '"int33"'), 'latin1'), /dtype "int33"/],
    ['an offset that is not a multiple of 8', () => Buffer.from(good().toString('latin1').replace('"offset":0', '"offset":4'), 'latin1'), /offset 4, not a non-negative multiple of 8/],
    ['a shorter message than the header', () => good().subarray(0, 10), /shorter than the 16-byte header/],
  ];
  test.each(cases)('%s', async (_name, frame, why) => {
    const before = (await raw.json('health', {})).environments;
    const reply = await raw.send(frame());
    expect(reply.binary).toBe(false);
    const message = JSON.parse(reply.data.toString());
    expect(message.error).toMatchObject({ code: 1012, data: { name: 'invalid_binary_frame' } });
    expect(message.error.message).toMatch(why);
    expect((await raw.json('health', {})).environments).toBe(before);
  });
});
