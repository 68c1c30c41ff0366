/** The rooms that join every server started with `start()`, in order. */
import { grpoPlugin } from './rest/grpo/plugin';
import { restPlugin } from './rest/plugin';
import { runsPlugin } from './runs/plugin';
import type { Plugin } from './server/plugin';
import { trainingPlugin } from './train/plugin';
import { webPlugin } from './web/plugin';

/** The default plugins (Fastify plugins); each room adds its own here. */
export function defaultPlugins(): Plugin[] {
  // The runs room comes before training, so it closes after the jobs have ended (onClose hooks run last-registered first).
  return [restPlugin(), webPlugin(), runsPlugin(), trainingPlugin(), grpoPlugin()];
}
