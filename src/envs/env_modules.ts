/**
 * Modules that register a user's environments: loaded in the server and in each
 * training worker (which has a registry of its own), so a registered environment
 * can be stepped over the socket and trained alike.
 */
import { PalestraError } from '../errors';

/** Loads each module once (Node caches them); a module that fails to load is a clear error. */
export function loadEnvModules(paths: readonly string[]): void {
  for (const path of paths) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(path);
    } catch (err) {
      throw new PalestraError('env_error', `Cannot load environment module ${path}: ${(err as Error)?.message ?? String(err)}`, { module: path });
    }
  }
}
