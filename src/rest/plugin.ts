/** The gym-http-api room: its REST routes on the server's own port. */
import type { Plugin } from '../server/plugin';
import { RestInstances } from './instances';
import { restHandler } from './routes';

/** The plugin that serves gym-http-api's `/v1` routes beside the WebSocket. */
export function restPlugin(): Plugin {
  return {
    name: 'rest',
    start(state, host) {
      const store = new RestInstances(state);
      // A service, so other rooms (health, a dashboard) can see the REST environments.
      state.services.set('rest', store);
      host.addHttpHandler(restHandler(store));
    },
    async stop(state) {
      const store = state.services.get('rest') as RestInstances | undefined;
      await store?.closeAll();
      state.services.delete('rest');
    },
  };
}
