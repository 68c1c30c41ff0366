/** The rooms that join every server started with `start()`, in order. */
import { grpoPlugin } from './rest/grpo/plugin';
import { policyPlugin } from './rest/policy/plugin';
import { restPlugin } from './rest/plugin';
import { runsPlugin } from './runs/plugin';
import type { Plugin } from './server/plugin';
import { trainingPlugin } from './train/plugin';
import { webPlugin } from './web/plugin';

/** The default plugins (Fastify plugins); each room adds its own here. */
export function defaultPlugins(): Plugin[] {
  // Runs come before training, so they close after the jobs have ended (onClose hooks run last-registered first);
  // the training API's and the policy routes serve the training room's jobs and models, so they come after it.
  return [restPlugin(), webPlugin(), runsPlugin(), trainingPlugin(), grpoPlugin(), policyPlugin()];
}
