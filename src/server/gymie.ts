/** Gymie's legacy framing: how its errors close the socket, worded as Gymie-Server words them. */
import { PalestraError } from '../errors';
import { pythonRepr, pythonStr } from './python_repr';

/** A WebSocket close: code and reason. */
export interface Close {
  code: number;
  reason: string;
}

// A close frame's reason may hold at most 123 bytes.
const MAX_REASON_BYTES = 123;

/** Cuts a reason to what fits in a close frame, on a character boundary. */
export function fitReason(reason: string): string {
  if (Buffer.byteLength(reason) <= MAX_REASON_BYTES) return reason;
  let cut = reason.slice(0, MAX_REASON_BYTES - 3);
  while (Buffer.byteLength(cut) > MAX_REASON_BYTES - 3) cut = cut.slice(0, -1);
  return `${cut}...`;
}

/** The close for text that is not JSON. */
export function invalidMessage(text: string): Close {
  return { code: 1003, reason: fitReason(`Message \`${text}\` is invalid`) };
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
  switch (error.errorName) {
    case 'method_not_found':
      return { code, reason: fitReason(`Method \`${pythonStr(method)}\` not found`) };
    case 'invalid_params':
      return { code, reason: fitReason(`Parameters \`${pythonRepr(params)}\` are wrong`) };
    case 'instance_not_found':
      return { code, reason: fitReason(`Instance \`${pythonStr(data.instance_id)}\` not found`) };
    case 'env_malformed':
      return { code, reason: fitReason(`Environment \`${pythonStr((params as Record<string, unknown>)?.env_id)}\` is malformed`) };
    case 'env_not_found':
      return { code, reason: fitReason(`Environment \`${pythonStr((params as Record<string, unknown>)?.env_id)}\` not found`) };
    case 'invalid_action':
      return { code, reason: fitReason(`Action \`${pythonStr(data.action)}\` is wrong`) };
    default:
      return { code, reason: fitReason(error.message) };
  }
}
