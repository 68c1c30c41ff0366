#!/usr/bin/env node
/** `palestra`: the command-line entry; the first word picks a command, and the server is the default. */
import { fail } from './args';
import { nearest } from './did_you_mean';
import { evaluateCommand } from './evaluate';
import { jobsCommand } from './jobs';
import { deleteCommand, modelsCommand } from './models';
import { serve } from './serve';
import { trainCommand } from './train';

/** Commands by name. */
const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  serve,
  train: trainCommand,
  evaluate: evaluateCommand,
  models: modelsCommand,
  delete: deleteCommand,
  jobs: jobsCommand,
};

/** Runs the command `argv` names (without node and the script). */
export async function main(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  if (first !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, first)) return COMMANDS[first](rest);
  if (first !== undefined && !first.startsWith('-')) {
    const guess = nearest(first, Object.keys(COMMANDS));
    fail(`unknown command ${JSON.stringify(first)}; ${guess ? `did you mean palestra ${guess}?` : 'palestra --help lists the commands'}`);
  }
  return serve(argv);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err) => fail((err as Error).message ?? String(err)));
}
