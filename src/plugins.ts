/** The rooms that join every server started with `start()`, in order. */
import { grpoPlugin } from './rest/grpo/plugin';
import { restPlugin } from './rest/plugin';
import type { Plugin } from './server/plugin';
import { trainingPlugin } from './train/plugin';
import { webPlugin } from './web/plugin';

/** The default plugins (Fastify plugins); each room adds its own here. */
export function defaultPlugins(): Plugin[] {
  return [restPlugin(), webPlugin(), trainingPlugin(), grpoPlugin()];
}
