/**
 * Binary frames, as protocol/binary-frames.md lays them out: a 16-byte header,
 * the JSON-RPC message with each numeric array replaced by a
 * `{"$ndarray", dtype, shape, offset}` reference, then the arrays' raw
 * little-endian bytes at 8-byte-aligned offsets. Runs in browsers and Node
 * alike (ArrayBuffer, DataView, TextEncoder; no Buffer).
 */
import { PalestraClientError } from './errors.js';

/** A typed array of any of the frame's dtypes. */
export type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** A dtype a frame can carry. */
export type Dtype = 'float32' | 'float64' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'bool';

type ArrayCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => TypedArray;

const CTORS: Record<Dtype, ArrayCtor> = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  bool: Uint8Array,
};

/**
 * A numpy-like array read from (or to be sent in) a binary frame: flat
 * row-major `data` viewing the message's own bytes, its `shape` and `dtype`
 * (`bool` data is a Uint8Array of 0 and 1).
 */
export class ArrayView<A extends TypedArray = TypedArray> {
  constructor(
    readonly data: A,
    readonly shape: readonly number[],
    readonly dtype: Dtype,
  ) {}

  /** Nested plain lists, as the JSON encoding would have sent them (`bool` as booleans). */
  toNested(): unknown {
    const map = this.dtype === 'bool' ? (v: number | bigint) => v !== 0 : (v: number | bigint) => Number(v);
    const { data, shape } = this;
    if (shape.length === 0) return map(data[0]);
    let at = 0;
    const level = (d: number): unknown[] => {
      const out = new Array(shape[d]);
      for (let i = 0; i < shape[d]; i++) out[i] = d === shape.length - 1 ? map(data[at++]) : level(d + 1);
      return out;
    };
    return level(0);
  }
}

/** `PLBF` as a little-endian u32. */
const MAGIC = 0x46424c50;
const VERSION = 1;
const HEADER_BYTES = 16;

function align8(x: number): number {
  return (x + 7) & ~7;
}

function dtypeOf(a: ArrayBufferView): Dtype {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint8Array) return 'uint8';
  if (a instanceof Int8Array) return 'int8';
  if (a instanceof Int16Array) return 'int16';
  if (a instanceof Uint16Array) return 'uint16';
  if (a instanceof Uint32Array) return 'uint32';
  if (a instanceof BigInt64Array) return 'int64';
  if (a instanceof BigUint64Array) return 'uint64';
  throw new PalestraClientError(`A ${a.constructor.name} cannot travel in a binary frame`);
}

/** Whether a message (an ArrayBuffer or a view of one) is a binary frame. */
export function isBinaryFrame(data: ArrayBuffer | ArrayBufferView): boolean {
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data, 0, Math.min(4, data.byteLength)) : new Uint8Array(data.buffer, data.byteOffset, Math.min(4, data.byteLength));
  return bytes.length === 4 && bytes[0] === 0x50 && bytes[1] === 0x4c && bytes[2] === 0x42 && bytes[3] === 0x46;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * Reads a binary frame: the JSON message with each reference replaced by an
 * ArrayView over the frame's own bytes (copied only when the buffer is not
 * aligned for the dtype, which a fresh WebSocket message always is).
 */
export function decodeFrame(data: ArrayBuffer | ArrayBufferView): unknown {
  const buffer = data instanceof ArrayBuffer ? data : data.buffer;
  const base = data instanceof ArrayBuffer ? 0 : data.byteOffset;
  const length = data.byteLength;
  if (length < HEADER_BYTES) throw new PalestraClientError('A binary frame is shorter than its header');
  const view = new DataView(buffer, base, length);
  if (view.getUint32(0, true) !== MAGIC) throw new PalestraClientError('Not a binary frame (no PLBF magic)');
  if (view.getUint16(4, true) !== VERSION) throw new PalestraClientError(`Binary frame version ${view.getUint16(4, true)} is not ${VERSION}`);
  const jsonLength = view.getUint32(8, true);
  const bodyOffset = view.getUint32(12, true);
  if (HEADER_BYTES + jsonLength > length || bodyOffset > length) throw new PalestraClientError('A binary frame is cut short');
  const message = JSON.parse(decoder.decode(new Uint8Array(buffer, base + HEADER_BYTES, jsonLength)));
  const read = (ref: Record<string, unknown>): ArrayView => {
    const dtype = ref.dtype as Dtype;
    const Ctor = CTORS[dtype];
    const shape = ref.shape as number[];
    if (!Ctor || !Array.isArray(shape)) throw new PalestraClientError(`A binary frame holds a bad reference: ${JSON.stringify(ref)}`);
    let count = 1;
    for (const d of shape) count *= d;
    const size = (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    const start = base + bodyOffset + (ref.offset as number);
    if (start - base + count * size > length) throw new PalestraClientError('A binary frame reference runs past its end');
    const array = start % size === 0 ? new Ctor(buffer, start, count) : new Ctor(buffer.slice(start, start + count * size), 0, count);
    return new ArrayView(array, shape, dtype);
  };
  const walk = (x: unknown): unknown => {
    if (x === null || typeof x !== 'object') return x;
    if (Array.isArray(x)) {
      for (let i = 0; i < x.length; i++) x[i] = walk(x[i]);
      return x;
    }
    const o = x as Record<string, unknown>;
    if ('$ndarray' in o) return read(o);
    for (const k of Object.keys(o)) o[k] = walk(o[k]);
    return o;
  };
  return walk(message);
}

/**
 * Writes a message as a binary frame: every ArrayView and typed array in it
 * travels as raw bytes; the rest as JSON.
 */
export function encodeFrame(message: unknown): ArrayBuffer {
  const parts: { bytes: Uint8Array; offset: number }[] = [];
  let end = 0;
  const ref = (a: ArrayBufferView, dtype: Dtype, shape: readonly number[]) => {
    const offset = align8(end);
    const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    end = offset + bytes.byteLength;
    parts.push({ bytes, offset });
    return { $ndarray: parts.length - 1, dtype, shape, offset };
  };
  const walk = (x: unknown): unknown => {
    if (x === null || typeof x !== 'object') return x;
    if (x instanceof ArrayView) return ref(x.data, x.dtype, x.shape);
    if (ArrayBuffer.isView(x) && !(x instanceof DataView)) return ref(x, dtypeOf(x), [(x as Uint8Array).length]);
    if (Array.isArray(x)) return x.map(walk);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = walk(v);
    return out;
  };
  const json = encoder.encode(JSON.stringify(walk(message)));
  const bodyOffset = align8(HEADER_BYTES + json.byteLength);
  const frame = new ArrayBuffer(bodyOffset + end);
  const view = new DataView(frame);
  view.setUint32(0, MAGIC, true);
  view.setUint16(4, VERSION, true);
  view.setUint16(6, 0, true);
  view.setUint32(8, json.byteLength, true);
  view.setUint32(12, bodyOffset, true);
  const bytes = new Uint8Array(frame);
  bytes.set(json, HEADER_BYTES);
  for (const p of parts) bytes.set(p.bytes, bodyOffset + p.offset);
  return frame;
}
