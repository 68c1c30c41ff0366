/** The gym-http-api room: its REST routes under `/v1` on the server's own port. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { RestInstances } from './instances';
import { restRoutes } from './routes';

async function rest(app: FastifyInstance): Promise<void> {
  const state = app.palestra;
  const store = new RestInstances(state);
  // A service, so other rooms (health, a dashboard) can see the REST environments.
  state.services.set('rest', store);
  app.addHook('onClose', async () => {
    await store.closeAll();
    state.services.delete('rest');
  });
  await app.register(restRoutes(store), { prefix: '/v1' });
}

/** The plugin that serves gym-http-api's `/v1` routes beside the WebSocket. */
export function restPlugin() {
  return fp(rest, { name: 'palestra-rest', fastify: '5.x' });
}
