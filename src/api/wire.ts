/** Turns in-process values into JSON-safe ones (typed arrays to lists, infinities to strings). */
import { jsonNumber } from '../envs/spaces/box';

/** A JSON-safe copy of `value`; `gymie` writes infinities as float32's extremes, as old gym did. */
export function toWire(value: unknown, gymie = false): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : jsonNumber(value, gymie);
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? Number(value) : value;
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, (v) => toWire(v, gymie));
  if (Array.isArray(value)) return value.map((v) => toWire(v, gymie));
  const out: Record<string, unknown> = {};
  for (const key in value) out[key] = toWire((value as Record<string, unknown>)[key], gymie);
  return out;
}

/** `info` as JSON; the common empty info costs nothing. */
export function infoToWire(info: Record<string, unknown>, gymie: boolean): Record<string, unknown> {
  for (const _ in info) return toWire(info, gymie) as Record<string, unknown>;
  return {};
}
