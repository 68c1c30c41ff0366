/**
 * In-process steps per second for every registered environment, made as a user makes them
 * (with TimeLimit and OrderEnforcing), stepped with `action_space.sample()` and reset when
 * an episode ends. Run: `node -r @swc-node/register bench/envs.ts [--seconds S] [ids...]`.
 */
import { make, registry } from '../src/envs';

/** One row of the table. */
export interface EnvBenchResult {
  id: string;
  steps: number;
  episodes: number;
  seconds: number;
  stepsPerSecond: number;
}

const CHUNK = 4096;

/** Steps `id` for about `seconds` (after a short warm-up) and reports the rate. */
export function benchEnv(id: string, seconds = 1): EnvBenchResult {
  const env = make(id);
  const space = env.action_space;
  env.reset({ seed: 0 });
  space.seed(0);
  const run = (budgetMs: number): [number, number, number] => {
    let steps = 0;
    let episodes = 0;
    const t0 = performance.now();
    let now = t0;
    while (now - t0 < budgetMs) {
      for (let i = 0; i < CHUNK; i++) {
        const result = env.step(space.sample());
        if (result[2] || result[3]) {
          env.reset();
          episodes++;
        }
      }
      steps += CHUNK;
      now = performance.now();
    }
    return [steps, episodes, (now - t0) / 1000];
  };
  run(Math.min(300, seconds * 300));
  const [steps, episodes, elapsed] = run(seconds * 1000);
  env.close();
  return { id, steps, episodes, seconds: elapsed, stepsPerSecond: steps / elapsed };
}

/** Formats a rate as e.g. `12.3 M` or `845.2 k`. */
function rate(x: number): string {
  return x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : `${(x / 1e3).toFixed(1)} k`;
}

/** Benchmarks the given ids (all registered ones by default) and prints a table. */
export function main(argv: string[] = process.argv.slice(2)): EnvBenchResult[] {
  let seconds = 1;
  const ids: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--seconds') seconds = Number(argv[++i]);
    else ids.push(argv[i]);
  }
  const results = (ids.length ? ids : registry.ids()).map((id) => benchEnv(id, seconds));
  const width = Math.max(...results.map((r) => r.id.length), 'environment'.length);
  const lines = [
    `${'environment'.padEnd(width)}  ${'steps/s'.padStart(10)}  ${'steps'.padStart(11)}  ${'episodes'.padStart(9)}`,
    `${'-'.repeat(width)}  ${'-'.repeat(10)}  ${'-'.repeat(11)}  ${'-'.repeat(9)}`,
    ...results.map(
      (r) => `${r.id.padEnd(width)}  ${rate(r.stepsPerSecond).padStart(10)}  ${String(r.steps).padStart(11)}  ${String(r.episodes).padStart(9)}`,
    ),
  ];
  console.log(`In-process steps per second (node ${process.version}, ${seconds} s each, random actions, auto-reset)\n`);
  console.log(lines.join('\n'));
  return results;
}

if (require.main === module) main();
