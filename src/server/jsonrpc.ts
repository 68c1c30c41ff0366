/** JSON-RPC 2.0 envelopes: what a request must hold, and how replies are written. */
import { PalestraError } from '../errors';

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
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${JSON.stringify(result)}}`;
}

/** An error reply object. */
export function errorReply(id: Id, error: PalestraError): Record<string, unknown> {
  return { jsonrpc: '2.0', id, error: error.toJSON() };
}

/** A notification, as text. */
export function notificationText(method: string, params: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', method, params });
}
