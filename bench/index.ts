/**
 * `npm run bench`: every benchmark, one after the other, or those named:
 *   npm run bench -- server envs latency train vector cluster
 * Each module also runs alone: node -r @swc-node/register bench/<name>.ts
 */
import { main as cluster } from './cluster';
import { main as envs } from './envs';
import { main as latency } from './latency';
import { main as server } from './server';
import { main as train } from './train';
import { main as vector } from './vector';

// Each runs with its own defaults here; run a module alone to pass it arguments.
const BENCHES: Record<string, () => unknown> = {
  server: () => server([]),
  envs: () => envs([]),
  latency: () => latency([]),
  train: () => train([]),
  vector: () => vector([]),
  cluster: () => cluster([]),
};

/** Runs the benchmarks named on the command line, or all of them. */
async function run(names: string[]): Promise<void> {
  for (const name of names.length ? names : Object.keys(BENCHES)) {
    const bench = BENCHES[name];
    if (!bench) throw new Error(`No benchmark ${name}; have ${Object.keys(BENCHES).join(', ')}`);
    await bench();
  }
}

run(process.argv.slice(2)).catch((err) => {
  console.error(err);
  process.exit(1);
});
