/** A room of the project that joins the server at start-up (training, REST, the web page). */
import type { ServerState } from '../api/context';
import type { HttpHandler } from './http';

/** What a plugin may do when the server starts. */
export interface PluginHost {
  addHttpHandler(handler: HttpHandler): void;
}

export interface Plugin {
  readonly name: string;
  /** Runs before the server listens; may register services in `state.services`. */
  start?(state: ServerState, host: PluginHost): void | Promise<void>;
  /** Runs when the server closes, after every connection has gone. */
  stop?(state: ServerState): void | Promise<void>;
}
