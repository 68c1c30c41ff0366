/**
 * `npm run bench`: every benchmark, one after the other, or those named:
 *   npm run bench -- server envs latency train vector cluster
 * Words after a benchmark's name that name no benchmark are its arguments:
 *   npm run bench -- train all --seeds 1,2,3
 * Each module also runs alone: node -r @swc-node/register bench/<name>.ts
 */
import { main as cluster } from './cluster';
import { main as envs } from './envs';
import { main as latency } from './latency';
import { main as server } from './server';
import { main as train } from './train';
import { main as vector } from './vector';

// Each takes the arguments that follow its name (none: its own defaults).
const BENCHES: Record<string, (args: string[]) => unknown> = { server, envs, latency, train, vector, cluster };

/** Runs the benchmarks named on the command line, each with the words after it, or all of them. */
async function run(argv: string[]): Promise<void> {
  if (argv.length && !(argv[0] in BENCHES)) throw new Error(`No benchmark ${argv[0]}; have ${Object.keys(BENCHES).join(', ')}`);
  const runs: { name: string; args: string[] }[] = argv.length ? [] : Object.keys(BENCHES).map((name) => ({ name, args: [] }));
  for (const word of argv) {
    if (word in BENCHES) runs.push({ name: word, args: [] });
    else runs[runs.length - 1].args.push(word);
  }
  for (const { name, args } of runs) await BENCHES[name](args);
}

run(process.argv.slice(2)).catch((err) => {
  console.error(err);
  process.exit(1);
});
