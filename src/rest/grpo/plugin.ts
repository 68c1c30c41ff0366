/**
 * The GRPO training API's room: `POST /train`, `/training/...`, `POST
 * /inference`, `/models` on the server's own port, answering in FastAPI's
 * shapes (its errors included), documented in `/openapi.json` from
 * `protocol/http/grpo/`. Keys and owners are the gate's, as for every route.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { useFastapiDialect } from '../fastapi';
import { grpoRoutes } from './routes';

async function grpo(app: FastifyInstance): Promise<void> {
  // Its own scope, so its error dialect stays with its routes.
  await app.register(async (scope) => {
    useFastapiDialect(scope);
    await grpoRoutes(scope);
  });
}

/** The plugin that serves the GRPO training API's routes. */
export function grpoPlugin() {
  return fp(grpo, { name: 'palestra-grpo', fastify: '5.x', dependencies: ['palestra-training'] });
}
