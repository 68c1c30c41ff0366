/** The API context of one HTTP request: the server's state and the caller the gate found, no pushed frames. */
import type { FastifyRequest } from 'fastify';
import type { MethodContext } from '../api/context';
import { Session } from '../api/sessions';

/**
 * A context for methods that make no environments (training, models): a
 * session of its own that holds none, owned by the request's principal, so
 * jobs and models are scoped to the key as over the socket.
 */
export function requestContext(request: FastifyRequest): MethodContext {
  return { server: request.server.palestra, session: new Session({ maxEnvs: 0, principal: request.principal }), push: false };
}
