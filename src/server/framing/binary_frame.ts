/**
 * Binary frames (protocol/binary-frames.md): one JSON-RPC message whose numeric
 * arrays travel as raw little-endian bytes after a small JSON header, each at an
 * 8-byte-aligned offset. Writing walks a canonical value once, putting a
 * `{"$ndarray": i, dtype, shape, offset}` reference where each array stood;
 * reading puts typed arrays back where the references are.
 */
import { PalestraError } from '../../errors';
import { BoolArray, NDArray } from '../../api/values';
import { encodeJsonRpc } from './jsonrpc_codec';
import { MAX_DEPTH } from './json_writer';

/** `PLBF`, the first four bytes of every frame. */
export const MAGIC = 0x46424c50;
/** The layout's version. */
export const VERSION = 1;
/** Bytes before the JSON header. */
export const HEADER_BYTES = 16;

/** Rounds up to a multiple of 8. */
export function align8(x: number): number {
  return (x + 7) & ~7;
}

type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

type ArrayCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => TypedArray;

/** Each dtype's typed array (bool travels as bytes of 0 and 1). */
export const DTYPES: Readonly<Record<string, ArrayCtor>> = {
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

/** The dtype of a typed array. */
function dtypeOf(a: ArrayBufferView): string {
  if (a instanceof BoolArray) return 'bool';
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint8Array || a instanceof Uint8ClampedArray) return 'uint8';
  if (a instanceof Int8Array) return 'int8';
  if (a instanceof Int16Array) return 'int16';
  if (a instanceof Uint16Array) return 'uint16';
  if (a instanceof Uint32Array) return 'uint32';
  if (a instanceof BigInt64Array) return 'int64';
  if (a instanceof BigUint64Array) return 'uint64';
  throw new PalestraError('internal_error', `No dtype for ${a.constructor.name}`);
}

/** The bytes of a view, as a Uint8Array over the same memory. */
function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** An array met while writing: its bytes and where they go in the body. */
interface Part {
  bytes: Uint8Array;
  offset: number;
}

/** Writes a canonical value's JSON with references, collecting the arrays' bytes. */
class HeaderWriter {
  readonly parts: Part[] = [];
  private end = 0;

  private ref(bytes: Uint8Array, dtype: string, shape: readonly number[]): string {
    const offset = align8(this.end);
    this.end = offset + bytes.byteLength;
    const index = this.parts.push({ bytes, offset }) - 1;
    return `{"$ndarray":${index},"dtype":"${dtype}","shape":[${shape.join(',')}],"offset":${offset}}`;
  }

  /** The body's length in bytes. */
  get bodyBytes(): number {
    return this.end;
  }

  write(x: unknown, depth: number): string {
    if (x === null || typeof x !== 'object' || depth >= MAX_DEPTH) return encodeJsonRpc(x);
    if (ArrayBuffer.isView(x) && !(x instanceof DataView)) return this.ref(bytesOf(x), dtypeOf(x), [(x as Uint8Array).length]);
    if (x instanceof NDArray) {
      const data = ArrayBuffer.isView(x.data) ? (x.data as unknown as ArrayBufferView) : Float64Array.from(x.data);
      return this.ref(bytesOf(data), dtypeOf(data), x.shape);
    }
    if (Array.isArray(x)) {
      let out = '[';
      for (let i = 0; i < x.length; i++) {
        const v = x[i];
        out += (i ? ',' : '') + (v === undefined || typeof v === 'function' ? 'null' : this.write(v, depth + 1));
      }
      return `${out}]`;
    }
    if (typeof (x as { toJSON?: unknown }).toJSON === 'function') return encodeJsonRpc(x);
    let out = '';
    for (const key of Object.keys(x)) {
      const v = (x as Record<string, unknown>)[key];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      out += `${out ? ',' : ''}${JSON.stringify(key)}:${this.write(v, depth + 1)}`;
    }
    return `{${out}}`;
  }
}

/** Lays out a frame from a JSON header that already holds references, and the arrays' bytes. */
export function assembleFrame(json: string, parts: readonly Part[], bodyBytes: number): Buffer {
  const jsonBytes = Buffer.byteLength(json);
  const bodyOffset = align8(HEADER_BYTES + jsonBytes);
  const frame = Buffer.allocUnsafe(bodyOffset + bodyBytes);
  frame.writeUInt32LE(MAGIC, 0);
  frame.writeUInt16LE(VERSION, 4);
  frame.writeUInt16LE(0, 6);
  frame.writeUInt32LE(jsonBytes, 8);
  frame.writeUInt32LE(bodyOffset, 12);
  frame.write(json, HEADER_BYTES, 'utf8');
  frame.fill(0, HEADER_BYTES + jsonBytes, bodyOffset);
  let at = 0;
  for (const { bytes, offset } of parts) {
    // Padding between arrays is zeroed, so a frame's bytes depend on its content alone.
    if (offset > at) frame.fill(0, bodyOffset + at, bodyOffset + offset);
    frame.set(bytes, bodyOffset + offset);
    at = offset + bytes.byteLength;
  }
  return frame;
}

/** A JSON-RPC success reply as a binary frame: its arrays as raw bytes. */
export function resultFrame(id: string | number | null, result: unknown): Buffer {
  const writer = new HeaderWriter();
  const json = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${writer.write(result, 0)}}`;
  return assembleFrame(json, writer.parts, writer.bodyBytes);
}

/** Any JSON-RPC message (a request, say) as a binary frame. */
export function encodeFrame(message: unknown): Buffer {
  const writer = new HeaderWriter();
  const json = writer.write(message, 0);
  return assembleFrame(json, writer.parts, writer.bodyBytes);
}

/** Whether a message is a binary frame (starts with the magic); anything else is JSON text. */
export function isBinaryFrame(data: Uint8Array): boolean {
  return data.length >= 4 && data[0] === 0x50 && data[1] === 0x4c && data[2] === 0x42 && data[3] === 0x46;
}

function bad(why: string): PalestraError {
  return new PalestraError('invalid_binary_frame', `Invalid binary frame: ${why}`);
}

/** A frame's header: the JSON text and where the body starts. */
export interface FrameHeader {
  json: string;
  bodyOffset: number;
}

/** Reads and checks the fixed header; the JSON text is not parsed yet. */
export function readHeader(data: Buffer): FrameHeader {
  if (data.length < HEADER_BYTES) throw bad(`${data.length} bytes is shorter than the ${HEADER_BYTES}-byte header`);
  const version = data.readUInt16LE(4);
  if (version !== VERSION) throw bad(`version ${version} is not ${VERSION}`);
  const flags = data.readUInt16LE(6);
  if (flags !== 0) throw bad(`flags ${flags} are not 0`);
  const jsonLength = data.readUInt32LE(8);
  const bodyOffset = data.readUInt32LE(12);
  if (HEADER_BYTES + jsonLength > data.length) throw bad(`json_length ${jsonLength} runs past the message's ${data.length} bytes`);
  if (bodyOffset !== align8(HEADER_BYTES + jsonLength)) throw bad(`body_offset ${bodyOffset} is not align8(16 + json_length) = ${align8(HEADER_BYTES + jsonLength)}`);
  if (bodyOffset > data.length) throw bad(`body_offset ${bodyOffset} is past the message's ${data.length} bytes`);
  return { json: data.toString('utf8', HEADER_BYTES, HEADER_BYTES + jsonLength), bodyOffset };
}

function isShape(x: unknown): x is number[] {
  return Array.isArray(x) && x.length <= 32 && x.every((d) => Number.isInteger(d) && d >= 0);
}

/** The value a reference stands for: a typed array (a `BoolArray` for bool), in an `NDArray` when not one-dimensional. */
function readArray(data: Buffer, bodyOffset: number, ref: Record<string, unknown>): unknown {
  const { dtype, shape, offset } = ref;
  const Ctor = typeof dtype === 'string' && Object.prototype.hasOwnProperty.call(DTYPES, dtype) ? DTYPES[dtype] : undefined;
  if (!Ctor) throw bad(`reference ${JSON.stringify(ref['$ndarray'])} has dtype ${JSON.stringify(dtype)}, not one of ${Object.keys(DTYPES).join(', ')}`);
  if (!isShape(shape)) throw bad(`reference ${JSON.stringify(ref['$ndarray'])} has shape ${JSON.stringify(shape)}, not a list of non-negative integers`);
  if (!Number.isInteger(offset) || (offset as number) < 0 || (offset as number) % 8 !== 0) {
    throw bad(`reference ${JSON.stringify(ref['$ndarray'])} has offset ${JSON.stringify(offset)}, not a non-negative multiple of 8`);
  }
  let count = 1;
  for (const d of shape) count *= d;
  const itemSize = (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  const start = bodyOffset + (offset as number);
  if (start + count * itemSize > data.length) throw bad(`reference ${JSON.stringify(ref['$ndarray'])} (${count} × ${dtype} at ${start}) runs past the message's ${data.length} bytes`);
  // ws may hand over a slice of a larger buffer at any byte offset: view in place when aligned, else copy.
  const at = data.byteOffset + start;
  const flat =
    at % itemSize === 0
      ? new Ctor(data.buffer, at, count)
      : new Ctor(new Uint8Array(data.subarray(start, start + count * itemSize)).buffer, 0, count);
  const typed = dtype === 'bool' ? new BoolArray(flat.buffer as ArrayBuffer, flat.byteOffset, flat.length) : flat;
  return shape.length === 1 ? typed : new NDArray(typed as unknown as ArrayLike<number>, shape);
}

/** Puts the arrays back where the references are (walking no deeper than the depth limit already allowed). */
function resolve(x: unknown, data: Buffer, bodyOffset: number): unknown {
  if (x === null || typeof x !== 'object') return x;
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) x[i] = resolve(x[i], data, bodyOffset);
    return x;
  }
  const o = x as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(o, '$ndarray')) return readArray(data, bodyOffset, o);
  for (const k of Object.keys(o)) o[k] = resolve(o[k], data, bodyOffset);
  return o;
}

/** Parses a frame's JSON header and resolves its references against the frame's bytes. */
export function decodeFrame(data: Buffer, header: FrameHeader = readHeader(data)): unknown {
  let message: unknown;
  try {
    message = JSON.parse(header.json);
  } catch {
    throw bad('the JSON header is not valid JSON');
  }
  return resolve(message, data, header.bodyOffset);
}
