/**
 * JSON-RPC 2.0 framing: what a request envelope must hold, and how replies,
 * errors, batches and notifications are written (values in JSON-RPC's
 * spelling, see `jsonrpc_codec.ts`).
 */
import { PalestraError } from '../../errors';
import { encodeJsonRpc } from './jsonrpc_codec';

/** A JSON-RPC id: string, number or null. */
export type Id = string | number | null;

/** A request after its envelope was checked. */
export interface Request {
  method: string;
  params: unknown;
  /** Absent for notifications, which get no reply. */
  id?: Id;
}

/** Checks the envelope; throws invalid_request (with the id when it was readable). */
export function readRequest(message: unknown): Request {
  if (!message || typeof message !== 'object' || Array.isArray(message)) {
    throw new PalestraError('invalid_request', 'A request must be a JSON object');
  }
  const m = message as Record<string, unknown>;
  if ('jsonrpc' in m && m.jsonrpc !== '2.0') throw new PalestraError('invalid_request', 'jsonrpc must be "2.0"');
  if ('id' in m && m.id !== null && typeof m.id !== 'string' && typeof m.id !== 'number') {
    throw new PalestraError('invalid_request', 'id must be a string, a number or null');
  }
  if (typeof m.method !== 'string') throw new PalestraError('invalid_request', 'method must be a string', { id: m.id });
  if ('params' in m && (m.params === null || typeof m.params !== 'object')) {
    throw new PalestraError('invalid_request', 'params must be an object or an array');
  }
  const request: Request = { method: m.method, params: m.params };
  if ('id' in m) request.id = m.id as Id;
  return request;
}

/** The id of a message, if it has a usable one (for replying to a bad request). */
export function idOf(message: unknown): Id {
  if (message && typeof message === 'object' && 'id' in message) {
    const id = (message as { id: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return id;
  }
  return null;
}

/** A success reply, as text. */
export function resultText(id: Id, result: unknown): string {
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${encodeJsonRpc(result)}}`;
}

/** An error reply, as text. */
export function errorText(id: Id, error: PalestraError): string {
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"error":${encodeJsonRpc(error.toJSON())}}`;
}

/** A batch's replies (each already text), as one text; null when every entry was a notification. */
export function batchText(replies: readonly (string | null)[]): string | null {
  const out = replies.filter((r): r is string => r !== null);
  return out.length > 0 ? `[${out.join(',')}]` : null;
}

/** A notification, as text. */
export function notificationText(method: string, params: unknown): string {
  return `{"jsonrpc":"2.0","method":${JSON.stringify(method)},"params":${encodeJsonRpc(params)}}`;
}
