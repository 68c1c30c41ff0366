/**
 * A server's gate and metrics, found from its state by the transports
 * (the API never sees them): one lookup per request.
 */
import type { ServerState } from '../api/context';
import type { ServerMetrics } from './metrics';
import type { AccessGate } from './security/gate';

/** What the transports count with and limit by. */
export interface Instruments {
  readonly gate: AccessGate;
  readonly metrics: ServerMetrics;
}

const byServer = new WeakMap<ServerState, Instruments>();

/** Attaches a server's instruments (once, when it starts). */
export function attachInstruments(server: ServerState, instruments: Instruments): void {
  byServer.set(server, instruments);
}

/** A server's instruments; undefined for a state made without a server (in-process API tests). */
export function instrumentsOf(server: ServerState): Instruments | undefined {
  return byServer.get(server);
}
