/**
 * Errors as values: every error a client can see has a name and code from
 * `protocol/errors.json`, a message a person can act on, and optional data.
 */
import catalogue from '../protocol/errors.json';

/** The names in the error catalogue. */
export type ErrorName =
  | 'parse_error'
  | 'invalid_request'
  | 'method_not_found'
  | 'invalid_params'
  | 'internal_error'
  | 'env_not_found'
  | 'env_malformed'
  | 'instance_not_found'
  | 'invalid_action'
  | 'reset_needed'
  | 'invalid_kwargs'
  | 'invalid_seed'
  | 'too_many_envs'
  | 'message_too_large'
  | 'invalid_observation'
  | 'not_supported'
  | 'env_error'
  | 'job_not_found'
  | 'unknown_algorithm'
  | 'invalid_hyperparameters'
  | 'job_queue_full'
  | 'job_failed'
  | 'model_not_found'
  | 'invalid_model_name'
  | 'model_exists'
  | 'forbidden'
  | 'not_found'
  | 'message_too_deep'
  | 'batch_too_large'
  | 'reply_too_large'
  | 'client_too_slow';

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
