/**
 * Errors as values: every error a client can see has a name and code from
 * `protocol/errors.json`, a message a person can act on, and optional data.
 */
import catalogue from '../protocol/errors.json';
import type { ErrorName } from './generated/protocol';

export type { ErrorName };

/** One row of the catalogue. */
export interface CatalogueEntry {
  code: number;
  name: ErrorName;
  http_status: number;
  gymie_close: number;
  meaning: string;
}

/** The catalogue, by name. */
export const ERRORS: Readonly<Record<ErrorName, CatalogueEntry>> = Object.fromEntries(
  (catalogue.errors as CatalogueEntry[]).map((e) => [e.name, e]),
) as Record<ErrorName, CatalogueEntry>;

/** An error with a stable code from the catalogue. */
export class PalestraError extends Error {
  readonly code: number;

  constructor(
    readonly errorName: ErrorName,
    message: string,
    readonly data: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'PalestraError';
    const entry = ERRORS[errorName];
    if (!entry) throw new Error(`Unknown error name ${errorName}`);
    this.code = entry.code;
  }

  /** The catalogue row for this error. */
  get entry(): CatalogueEntry {
    return ERRORS[this.errorName];
  }

  /** The JSON-RPC `error` member; `data.name` is always the catalogue name. */
  toJSON(): { code: number; message: string; data: Record<string, unknown> } {
    return { code: this.code, message: this.message, data: { ...this.data, name: this.errorName } };
  }

  /** The error `toJSON()` described, as it was (a worker's error crosses the thread boundary this way). */
  static fromJSON(json: { code: number; message: string; data?: Record<string, unknown> }): PalestraError {
    const { name, ...data } = json.data ?? {};
    const known = typeof name === 'string' && Object.prototype.hasOwnProperty.call(ERRORS, name);
    return known ? new PalestraError(name as ErrorName, json.message, data) : new PalestraError('internal_error', json.message, data);
  }
}

// An absolute path (POSIX or Windows) of two or more segments, as file-system errors quote them.
const ABSOLUTE_PATH = /(?:[A-Za-z]:\\|\/)(?:[^\s'"`\\/]+[\\/])+([^\s'"`\\/]*)/g;

/** A message with every absolute path cut to its last part, so no error tells a client where the server keeps its files. */
export function withoutPaths(message: string): string {
  return message.replace(ABSOLUTE_PATH, (_path, last: string) => `…/${last}`);
}

/** Turns anything thrown into a PalestraError, keeping catalogue errors as they are. */
export function asPalestraError(err: unknown): PalestraError {
  if (err instanceof PalestraError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new PalestraError('internal_error', `Internal error: ${withoutPaths(message)}`);
}
