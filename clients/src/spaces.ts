/**
 * Gymnasium's spaces on the client, built from the JSON descriptions the server
 * sends: `sample` and `contains` run locally; `decode`/`encode` turn wire values
 * (where infinities are the strings "Infinity"/"-Infinity") into plain numbers and back.
 */
import { PalestraClientError } from './errors.js';
import type { Space as SpaceDescription } from './protocol.js';
import { Random } from './random.js';

export type { SpaceDescription };

/** A Box value: a number, or nested arrays of numbers shaped as the Box. */
export type NDArray = number | NDArray[];

/** A typed array a Box value may also be given as (flat, row-major). */
type NumericArray = ArrayLike<number> & { readonly BYTES_PER_ELEMENT: number };

/** Reads a number from the wire, where non-finite values are strings. */
export function parseNumber(x: unknown): number {
  if (typeof x === 'number') return x;
  if (x === 'Infinity' || x === 'inf') return Infinity;
  if (x === '-Infinity' || x === '-inf') return -Infinity;
  if (x === 'NaN' || x === 'nan') return NaN;
  if (typeof x === 'boolean') return x ? 1 : 0;
  throw new PalestraClientError(`expected a number, got ${JSON.stringify(x)}`);
}

/** Writes a number for the wire: infinities and NaN become strings, as the protocol asks. */
export function wireNumber(x: number): number | string {
  if (Number.isFinite(x)) return x;
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function flatten(value: unknown, shape: readonly number[]): number[] | null {
  if (ArrayBuffer.isView(value)) {
    const flat = Array.from(value as unknown as NumericArray);
    return flat.length === product(shape) ? flat : null;
  }
  const out: unknown[] = [];
  const walk = (v: unknown, depth: number): boolean => {
    if (depth === shape.length) {
      out.push(v);
      return true;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) return false;
    return v.every((item) => walk(item, depth + 1));
  };
  if (!walk(value, 0)) return null;
  return out.every((v) => typeof v === 'number') ? (out as number[]) : null;
}

function nest(flat: readonly number[], shape: readonly number[]): NDArray {
  if (shape.length === 0) return flat[0];
  let rows: NDArray[] = [...flat];
  for (let d = shape.length - 1; d > 0; d--) {
    const width = shape[d];
    const next: NDArray[] = [];
    for (let i = 0; i < rows.length; i += width) next.push(rows.slice(i, i + width));
    rows = next;
  }
  return rows;
}

function mapNested(value: unknown, f: (x: unknown) => unknown): unknown {
  return Array.isArray(value) ? value.map((v) => mapNested(v, f)) : f(value);
}

function flatNumbers(value: unknown): number[] {
  const out: number[] = [];
  const walk = (v: unknown) => (Array.isArray(v) ? v.forEach(walk) : out.push(parseNumber(v)));
  walk(value);
  return out;
}

/** Gymnasium's `Space`: a set with a seedable sampler, built from its wire description. */
export abstract class Space<T = unknown> {
  protected readonly random = new Random();

  constructor(
    /** The description as the server sent it. */
    readonly description: SpaceDescription,
  ) {}

  /** `Discrete`, `Box`, … */
  get name(): string {
    return this.description.name;
  }

  /** Seeds this space's own local generator (not numpy's; see `env.actionSample(seed)` for that). */
  seed(seed?: number): void {
    this.random.seed(seed);
  }

  /** A random member, drawn locally. */
  abstract sample(): T;

  /** Whether `x` is a member. */
  abstract contains(x: unknown): x is T;

  /** A wire value as a member (infinities become numbers). */
  abstract decode(value: unknown): T;

  /** A member as a wire value (typed arrays become lists, infinities strings). */
  abstract encode(value: T): unknown;

  /** Gymnasium's repr, e.g. `Discrete(2)`. */
  abstract toString(): string;

  /** `JSON.stringify(space)` gives the wire description back. */
  toJSON(): SpaceDescription {
    return this.description;
  }
}

/** `Discrete(n, start)`: the integers start … start + n − 1. */
export class Discrete extends Space<number> {
  readonly n: number;
  readonly start: number;

  constructor(description: SpaceDescription) {
    super(description);
    this.n = parseNumber(description.n);
    this.start = description.start === undefined ? 0 : parseNumber(description.start);
  }

  sample(): number {
    return this.start + this.random.integer(this.n);
  }

  contains(x: unknown): x is number {
    return typeof x === 'number' && Number.isInteger(x) && x >= this.start && x < this.start + this.n;
  }

  decode(value: unknown): number {
    return parseNumber(value);
  }

  encode(value: number): number {
    return value;
  }

  toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }
}

const INTEGER_DTYPES = new Set(['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64']);

/** `Box(low, high, shape, dtype)`: values are numbers or nested arrays shaped as `shape`. */
export class Box extends Space<NDArray> {
  readonly shape: number[];
  readonly dtype: string;
  readonly size: number;
  /** The bounds, flat in row-major order, infinities as numbers. */
  readonly lowFlat: number[];
  readonly highFlat: number[];
  private readonly integral: boolean;

  constructor(description: SpaceDescription) {
    super(description);
    this.shape = (description.shape ?? []).map(Number);
    this.dtype = description.dtype ?? 'float32';
    this.size = product(this.shape);
    this.integral = INTEGER_DTYPES.has(this.dtype);
    const bound = (b: unknown) => {
      const flat = flatNumbers(b);
      return flat.length === 1 && this.size !== 1 ? new Array<number>(this.size).fill(flat[0]) : flat;
    };
    this.lowFlat = bound(description.low);
    this.highFlat = bound(description.high);
  }

  /** The lower bound, shaped as the space. */
  get low(): NDArray {
    return nest(this.lowFlat, this.shape);
  }

  /** The upper bound, shaped as the space. */
  get high(): NDArray {
    return nest(this.highFlat, this.shape);
  }

  /** Gymnasium's sampling: uniform where bounded, exponential where half-bounded, normal where unbounded. */
  sample(): NDArray {
    const out = new Array<number>(this.size);
    for (let i = 0; i < this.size; i++) {
      const low = this.lowFlat[i];
      const high = this.integral ? this.highFlat[i] + 1 : this.highFlat[i];
      const below = Number.isFinite(low);
      const above = Number.isFinite(high);
      let x: number;
      if (below && above) x = low + this.random.random() * (high - low);
      else if (below) x = low + this.random.exponential();
      else if (above) x = high - this.random.exponential();
      else x = this.random.normal();
      if (this.integral) x = Math.min(Math.floor(x), this.highFlat[i]);
      else if (this.dtype === 'float32') x = Math.min(Math.max(Math.fround(x), low), this.highFlat[i]);
      out[i] = x;
    }
    return nest(out, this.shape);
  }

  contains(x: unknown): x is NDArray {
    const flat = typeof x === 'number' && this.shape.length === 0 ? [x] : flatten(x, this.shape);
    if (!flat) return false;
    return flat.every((v, i) => v >= this.lowFlat[i] && v <= this.highFlat[i] && (!this.integral || Number.isInteger(v)));
  }

  decode(value: unknown): NDArray {
    return mapNested(value, parseNumber) as NDArray;
  }

  encode(value: NDArray | NumericArray): unknown {
    if (ArrayBuffer.isView(value)) return mapNested(nest(Array.from(value as NumericArray), this.shape), (v) => wireNumber(v as number));
    return mapNested(value, (v) => (typeof v === 'number' ? wireNumber(v) : v));
  }

  toString(): string {
    const bound = (b: number[]) => {
      const text = (v: number) => (v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v));
      return b.every((v) => v === b[0]) ? text(b[0]) : `[${b.map(text).join(' ')}]`;
    };
    const shape = `(${this.shape.join(', ')}${this.shape.length === 1 ? ',' : ''})`;
    return `Box(${bound(this.lowFlat)}, ${bound(this.highFlat)}, ${shape}, ${this.dtype})`;
  }
}

/** `MultiBinary(n)`: arrays of 0s and 1s shaped as `n`. */
export class MultiBinary extends Space<NDArray> {
  readonly shape: number[];

  constructor(description: SpaceDescription) {
    super(description);
    const n = description.shape ?? description.n;
    this.shape = Array.isArray(n) ? n.map(Number) : [parseNumber(n)];
  }

  sample(): NDArray {
    const flat = Array.from({ length: product(this.shape) }, () => this.random.integer(2));
    return nest(flat, this.shape);
  }

  contains(x: unknown): x is NDArray {
    const flat = flatten(x, this.shape);
    return flat !== null && flat.every((v) => v === 0 || v === 1);
  }

  decode(value: unknown): NDArray {
    return mapNested(value, parseNumber) as NDArray;
  }

  encode(value: NDArray): unknown {
    return ArrayBuffer.isView(value) ? nest(Array.from(value as unknown as NumericArray), this.shape) : value;
  }

  toString(): string {
    return `MultiBinary(${this.shape.length === 1 ? this.shape[0] : `[${this.shape.join(', ')}]`})`;
  }
}

/** `MultiDiscrete(nvec, start)`: arrays whose element i lies in start[i] … start[i] + nvec[i] − 1. */
export class MultiDiscrete extends Space<NDArray> {
  readonly shape: number[];
  readonly nvecFlat: number[];
  readonly startFlat: number[];

  constructor(description: SpaceDescription) {
    super(description);
    this.nvecFlat = flatNumbers(description.nvec);
    this.shape = description.shape ? description.shape.map(Number) : shapeOf(description.nvec);
    const start = description.start === undefined ? [0] : flatNumbers(description.start);
    this.startFlat = start.length === 1 ? this.nvecFlat.map(() => start[0]) : start;
  }

  sample(): NDArray {
    return nest(
      this.nvecFlat.map((n, i) => this.startFlat[i] + this.random.integer(n)),
      this.shape,
    );
  }

  contains(x: unknown): x is NDArray {
    const flat = flatten(x, this.shape);
    return flat !== null && flat.every((v, i) => Number.isInteger(v) && v >= this.startFlat[i] && v < this.startFlat[i] + this.nvecFlat[i]);
  }

  decode(value: unknown): NDArray {
    return mapNested(value, parseNumber) as NDArray;
  }

  encode(value: NDArray): unknown {
    return ArrayBuffer.isView(value) ? nest(Array.from(value as unknown as NumericArray), this.shape) : value;
  }

  toString(): string {
    return `MultiDiscrete([${this.nvecFlat.join(' ')}])`;
  }
}

function shapeOf(value: unknown): number[] {
  const shape: number[] = [];
  let v = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

/** `Tuple(spaces)`: arrays with one member of each space. */
export class Tuple extends Space<unknown[]> {
  readonly spaces: Space[];

  constructor(description: SpaceDescription) {
    super(description);
    const spaces = description.spaces;
    if (!Array.isArray(spaces)) throw new PalestraClientError('a Tuple space needs a list of spaces');
    this.spaces = spaces.map(spaceFromJSON);
  }

  override seed(seed?: number): void {
    super.seed(seed);
    // Each part gets its own stream, derived from the parent's, as Gymnasium does.
    for (const s of this.spaces) s.seed(seed === undefined ? undefined : this.random.nextUint32());
  }

  sample(): unknown[] {
    return this.spaces.map((s) => s.sample());
  }

  contains(x: unknown): x is unknown[] {
    return Array.isArray(x) && x.length === this.spaces.length && this.spaces.every((s, i) => s.contains(x[i]));
  }

  decode(value: unknown): unknown[] {
    if (!Array.isArray(value)) throw new PalestraClientError(`expected a list for ${this}`);
    return this.spaces.map((s, i) => s.decode(value[i]));
  }

  encode(value: unknown[]): unknown {
    return this.spaces.map((s, i) => s.encode(value[i]));
  }

  toString(): string {
    return `Tuple(${this.spaces.map(String).join(', ')})`;
  }
}

/** `Dict(spaces)`: objects with one member of each named space. */
export class Dict extends Space<Record<string, unknown>> {
  readonly spaces: Record<string, Space>;

  constructor(description: SpaceDescription) {
    super(description);
    const spaces = description.spaces;
    if (!spaces || typeof spaces !== 'object' || Array.isArray(spaces)) throw new PalestraClientError('a Dict space needs an object of spaces');
    this.spaces = Object.fromEntries(Object.entries(spaces).map(([k, s]) => [k, spaceFromJSON(s)]));
  }

  override seed(seed?: number): void {
    super.seed(seed);
    for (const s of Object.values(this.spaces)) s.seed(seed === undefined ? undefined : this.random.nextUint32());
  }

  sample(): Record<string, unknown> {
    return Object.fromEntries(Object.entries(this.spaces).map(([k, s]) => [k, s.sample()]));
  }

  contains(x: unknown): x is Record<string, unknown> {
    if (!x || typeof x !== 'object' || Array.isArray(x)) return false;
    const keys = Object.keys(this.spaces);
    const obj = x as Record<string, unknown>;
    return Object.keys(obj).length === keys.length && keys.every((k) => k in obj && this.spaces[k].contains(obj[k]));
  }

  decode(value: unknown): Record<string, unknown> {
    if (!value || typeof value !== 'object') throw new PalestraClientError(`expected an object for ${this}`);
    const obj = value as Record<string, unknown>;
    return Object.fromEntries(Object.entries(this.spaces).map(([k, s]) => [k, s.decode(obj[k])]));
  }

  encode(value: Record<string, unknown>): unknown {
    return Object.fromEntries(Object.entries(this.spaces).map(([k, s]) => [k, s.encode(value[k])]));
  }

  toString(): string {
    return `Dict(${Object.entries(this.spaces)
      .map(([k, s]) => `'${k}': ${s}`)
      .join(', ')})`;
  }
}

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** `Text(max_length, min_length, charset)`: strings of characters from `charset`. */
export class Text extends Space<string> {
  readonly minLength: number;
  readonly maxLength: number;
  readonly charset: string;

  constructor(description: SpaceDescription) {
    super(description);
    const d = description as SpaceDescription & { min_length?: number; max_length?: number; charset?: string | string[] };
    this.minLength = d.min_length ?? 1;
    this.maxLength = d.max_length ?? Math.max(this.minLength, 1);
    this.charset = Array.isArray(d.charset) ? d.charset.join('') : (d.charset ?? ALPHANUMERIC);
  }

  sample(): string {
    const length = this.minLength + this.random.integer(this.maxLength - this.minLength + 1);
    const chars = [...this.charset];
    return Array.from({ length }, () => chars[this.random.integer(chars.length)]).join('');
  }

  contains(x: unknown): x is string {
    if (typeof x !== 'string') return false;
    const chars = [...x];
    const allowed = new Set(this.charset);
    return chars.length >= this.minLength && chars.length <= this.maxLength && chars.every((c) => allowed.has(c));
  }

  decode(value: unknown): string {
    return String(value);
  }

  encode(value: string): string {
    return value;
  }

  toString(): string {
    return `Text(${this.minLength}, ${this.maxLength})`;
  }
}

/** A space the server could not describe fully: values pass through; sampling is the server's job. */
export class CustomSpace extends Space<unknown> {
  sample(): unknown {
    throw new PalestraClientError(`${this} cannot be sampled locally; use env.actionSample()`);
  }

  contains(_x: unknown): _x is unknown {
    throw new PalestraClientError(`${this} cannot be checked locally; the server checks it on step`);
  }

  decode(value: unknown): unknown {
    return value;
  }

  encode(value: unknown): unknown {
    return value;
  }

  toString(): string {
    return typeof this.description.repr === 'string' ? this.description.repr : `${this.description.name}()`;
  }
}

/** Builds the space a wire description names. */
export function spaceFromJSON(description: SpaceDescription): Space {
  switch (description?.name) {
    case 'Discrete':
      return new Discrete(description);
    case 'Box':
      return new Box(description);
    case 'MultiBinary':
      return new MultiBinary(description);
    case 'MultiDiscrete':
      return new MultiDiscrete(description);
    case 'Tuple':
      return new Tuple(description);
    case 'Dict':
      return new Dict(description);
    case 'Text':
      return new Text(description);
    default:
      return new CustomSpace(description ?? { name: 'Custom' });
  }
}
