/**
 * Gymie's legacy framing: bare replies in old gym's shapes (`make` answers the
 * id as plain text, `reset` the observation, `step` the 4-tuple with
 * `TimeLimit.truncated`, `close` true, Gymie's space dicts), and errors that
 * close the socket with the catalogue's code and Gymie-Server's wording.
 */
import type { MadeEnv, ResetResult, StepResult } from '../../api/env';
import type { SpaceDescription } from '../../api/spaces';
import type { PalestraError } from '../../errors';
import { describeGymie, encodeGymie } from './gymie_codec';
import { encodeJsonRpc } from './jsonrpc_codec';
import { pythonRepr, pythonStr } from './python_repr';

/** A WebSocket close: code and reason. */
export interface Close {
  code: number;
  reason: string;
}

/** A step in old gym's 4-tuple: `done` is terminated or truncated; a time limit says so in `info`. */
function oldStep([obs, reward, terminated, truncated, info]: StepResult): string {
  const oldInfo = truncated && !terminated ? { ...info, 'TimeLimit.truncated': true } : info;
  return `[${encodeGymie(obs)},${encodeGymie(reward)},${terminated || truncated ? 'true' : 'false'},${encodeGymie(oldInfo)}]`;
}

// Gymie's own methods answer in Gymie's shapes; the methods Palestra adds answer as over JSON-RPC.
const REPLIES: Record<string, (result: any) => string> = {
  make: (r: MadeEnv) => r.instance_id,
  reset: (r: ResetResult) => encodeGymie(r[0]),
  step: oldStep,
  close: () => 'true',
  observation_space: (d: SpaceDescription) => encodeGymie(describeGymie(d)),
  action_space: (d: SpaceDescription) => encodeGymie(describeGymie(d)),
  action_sample: (a: unknown) => encodeGymie(a),
};

/** The reply text for a method's canonical result. */
export function replyText(method: string, result: unknown): string {
  const reply = Object.prototype.hasOwnProperty.call(REPLIES, method) ? REPLIES[method] : encodeJsonRpc;
  return reply(result);
}

// A close frame's reason may hold at most 123 bytes.
const MAX_REASON_BYTES = 123;
const ELLIPSIS = '...';

/** Cuts `text` on a character boundary so it takes at most `bytes` bytes. */
function cutTo(text: string, bytes: number): string {
  if (Buffer.byteLength(text) <= bytes) return text;
  // Start from a cut that cannot be too long in characters, then step back over multi-byte ones.
  let cut = text.slice(0, Math.max(0, bytes));
  while (cut.length > 0 && Buffer.byteLength(cut) > bytes) cut = cut.slice(0, -1);
  // Never leave half of a surrogate pair.
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return cut;
}

/** Cuts a reason to what fits in a close frame, on a character boundary. */
export function fitReason(reason: string): string {
  if (Buffer.byteLength(reason) <= MAX_REASON_BYTES) return reason;
  return `${cutTo(reason, MAX_REASON_BYTES - ELLIPSIS.length)}${ELLIPSIS}`;
}

/**
 * Gymie's sentence around a quoted value (``Message `…` is invalid``): when it
 * does not fit, the value is shortened and the sentence kept.
 */
export function quotedReason(before: string, value: string, after: string): string {
  const whole = `${before}\`${value}\`${after}`;
  if (Buffer.byteLength(whole) <= MAX_REASON_BYTES) return whole;
  const room = MAX_REASON_BYTES - Buffer.byteLength(`${before}\`${ELLIPSIS}\`${after}`);
  if (room < 0) return fitReason(whole);
  return `${before}\`${cutTo(value, room)}${ELLIPSIS}\`${after}`;
}

/** The close for text that is not JSON. */
export function invalidMessage(text: string): Close {
  return { code: 1003, reason: quotedReason('Message ', text, ' is invalid') };
}

/** The close for JSON without `method` and `params`. */
export function missingKeys(message: unknown): Close {
  const keys = message && typeof message === 'object' && !Array.isArray(message) ? Object.keys(message) : [];
  return { code: 1003, reason: fitReason(`Message keys ${pythonRepr(keys)} are missing or invalid`) };
}

/** The close for an error raised while running `method` with `params`. */
export function closeFor(error: PalestraError, method: string, params: unknown): Close {
  const data = error.data as Record<string, unknown>;
  const code = error.entry.gymie_close;
  const envId = () => pythonStr((params as Record<string, unknown>)?.env_id);
  switch (error.errorName) {
    case 'method_not_found':
      return { code, reason: quotedReason('Method ', pythonStr(method), ' not found') };
    case 'invalid_params':
      return { code, reason: quotedReason('Parameters ', pythonRepr(params), ' are wrong') };
    case 'instance_not_found':
      return { code, reason: quotedReason('Instance ', pythonStr(data.instance_id), ' not found') };
    case 'env_malformed':
      return { code, reason: quotedReason('Environment ', envId(), ' is malformed') };
    case 'env_not_found':
      return { code, reason: quotedReason('Environment ', envId(), ' not found') };
    case 'invalid_action':
      return { code, reason: quotedReason('Action ', pythonStr(data.action), ' is wrong') };
    default:
      return { code, reason: fitReason(error.message) };
  }
}
