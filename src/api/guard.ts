/** Environment code run by the API: its plain exceptions become catalogue errors. */
import { PalestraError } from '../errors';

/** Runs environment code, turning its plain exceptions into catalogue errors. */
export function guard<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof PalestraError) throw err;
    if (err instanceof RangeError) throw new PalestraError('invalid_params', `${what}: ${err.message}`);
    throw new PalestraError('env_error', `${what} failed: ${(err as Error)?.message ?? String(err)}`);
  }
}
