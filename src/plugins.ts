/** The rooms that join every server started with `start()`, in order. */
import { grpoPlugin } from './rest/grpo/plugin';
import { policyPlugin } from './rest/policy/plugin';
import { restPlugin } from './rest/plugin';
import type { Plugin } from './server/plugin';
import { trainingPlugin } from './train/plugin';
import { webPlugin } from './web/plugin';

/** The default plugins (Fastify plugins); each room adds its own here. */
export function defaultPlugins(): Plugin[] {
  // The training API's and the policy routes serve the training room's jobs and models, so they come after it.
  return [restPlugin(), webPlugin(), trainingPlugin(), grpoPlugin(), policyPlugin()];
}
