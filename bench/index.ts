/**
 * `npm run bench`: every benchmark, one after the other. Each module also runs alone:
 *   node -r @swc-node/register bench/<name>.ts
 */
import { main as server } from './server';

const BENCHES: Record<string, () => Promise<void>> = { server };

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
