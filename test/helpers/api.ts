/** A server's state for calling the API in-process, with no socket and no port. */
import pino from 'pino';
import type { MethodContext, ServerState } from '../../src/api/context';
import { Session, openSession } from '../../src/api/sessions';
import { registry } from '../../src/envs';
import { defaultGetEnv } from '../../src/hooks';
import { DEFAULTS } from '../../src/server/server';

/** A quiet server state over the built-in registry. */
export function apiServer(): ServerState {
  return {
    options: { ...DEFAULTS, maxEnvsPerConnection: 8 },
    registry,
    hooks: { get_env: defaultGetEnv, process_step: null },
    logger: pino({ level: 'silent' }),
    version: 'test',
    startedAt: Date.now(),
    connections: new Set(),
    services: new Map(),
    counters: { steps: 0 },
    onListening: [],
  };
}

/** A context for one new session of `server` (a test is a session, like a socket or REST). */
export function apiContext(server: ServerState): MethodContext & { session: Session } {
  return { server, session: openSession(server, { id: 'test' }), push: false };
}
