/** The errors a client call can reject with: the server's (with its catalogue code), timeouts, and lost connections. */
import { ERROR_CODES, type ErrorName } from './protocol.js';

export { ERROR_CODES, type ErrorName };

const NAMES_BY_CODE = new Map<number, ErrorName>(Object.entries(ERROR_CODES).map(([name, code]) => [code, name as ErrorName]));

/** The base of every error this library throws, so one `instanceof` catches them all. */
export class PalestraClientError extends Error {
  constructor(message: string) {
    super(message);
  }
}

/**
 * An error the server answered: `code` is from protocol/errors.json, `name` is its
 * catalogue name (`env_not_found`, `invalid_action`, …; `data.name` for codes outside
 * the catalogue), `data` is what the server added.
 */
export class RpcError extends PalestraClientError {
  override readonly name: ErrorName | string;
  readonly code: number;
  readonly data: Record<string, unknown>;
  /** The method whose call failed. */
  readonly method: string;

  constructor(method: string, error: { code: number; message: string; data?: unknown }) {
    super(error.message);
    this.method = method;
    this.code = error.code;
    this.data = error.data && typeof error.data === 'object' ? (error.data as Record<string, unknown>) : {};
    // The catalogue decides for its own codes: `data.name` can be shadowed by a field of the data (a model's name).
    const named = this.data.name;
    this.name = NAMES_BY_CODE.get(error.code) ?? (typeof named === 'string' ? named : 'RpcError');
  }

  /** Whether this is the catalogue error `name`, e.g. `err.is('reset_needed')`. */
  is(name: ErrorName): boolean {
    return this.code === ERROR_CODES[name];
  }
}

/** A call got no answer within its timeout; the late answer, if any, is dropped. */
export class TimeoutError extends PalestraClientError {
  override readonly name = 'TimeoutError';
  constructor(
    readonly method: string,
    readonly timeoutMs: number,
  ) {
    super(`${method} got no answer within ${timeoutMs} ms`);
  }
}

/** The connection closed (or never opened) while a call was waiting, or before it was made. */
export class ConnectionClosedError extends PalestraClientError {
  override readonly name = 'ConnectionClosedError';
  constructor(
    message: string,
    /** The WebSocket close code, when the socket reported one. */
    readonly closeCode?: number,
    readonly reason?: string,
  ) {
    super(message);
  }
}
