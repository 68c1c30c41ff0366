#!/usr/bin/env node
/** `palestra`: the command-line entry; the first word picks a command, and the server is the default. */
import { fail } from './args';
import { nearest } from './did_you_mean';

type Command = (args: string[]) => Promise<void>;

/** Commands by name, each loaded only when it runs, so `palestra models` does not load the server or TensorFlow.js. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve')).serve,
  train: async () => (await import('./train')).trainCommand,
  evaluate: async () => (await import('./evaluate')).evaluateCommand,
  models: async () => (await import('./models')).modelsCommand,
  delete: async () => (await import('./models')).deleteCommand,
  jobs: async () => (await import('./jobs')).jobsCommand,
  runs: async () => (await import('./runs')).runsCommand,
  worker: async () => (await import('./worker')).workerCommand,
};

/** Runs the command `argv` names (without node and the script). */
export async function main(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  if (first !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, first)) return (await COMMANDS[first]())(rest);
  if (first !== undefined && !first.startsWith('-')) {
    const guess = nearest(first, Object.keys(COMMANDS));
    fail(`unknown command ${JSON.stringify(first)}; ${guess ? `did you mean palestra ${guess}?` : 'palestra --help lists the commands'}`);
  }
  return (await COMMANDS.serve())(argv);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err) => fail((err as Error).message ?? String(err)));
}
