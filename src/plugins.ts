/** The rooms that join every server started with `start()`, in order. */
import { policyPlugin } from './rest/policy/plugin';
import { restPlugin } from './rest/plugin';
import type { Plugin } from './server/plugin';
import { trainingPlugin } from './train/plugin';
import { webPlugin } from './web/plugin';

/** The default plugins (Fastify plugins); each room adds its own here. */
export function defaultPlugins(): Plugin[] {
  // The policy routes serve the training room's models, so they come after it.
  return [restPlugin(), webPlugin(), trainingPlugin(), policyPlugin()];
}
