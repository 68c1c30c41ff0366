/**
 * Starting the servers a benchmark measures, each in a child process that
 * prints its URL. Palestra runs as `npm start` runs it: the compiled `dist/`,
 * built here first. Under the development loader (`-r @swc-node/register`)
 * every name one module imports from another is read through a getter, which
 * costs the server a measurable part of a step; a user's server has none of that.
 * The benchmark's own TypeScript servers (the bare yardsticks) use the loader;
 * the `ws` code they run is plain JavaScript either way.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/** A server started for a benchmark, and the URL it listens on. */
export interface Launched {
  child: ChildProcess;
  url: string;
}

let built = false;

/** Compiles `src/` into `dist/` (once per benchmark run), as `npm start` does. */
function build(): void {
  if (built) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
  built = true;
}

/** Starts `script` (a path from the project's root; `.ts` files through the development loader) and resolves when it prints its URL. */
export function launch(script: string, args: string[]): Promise<Launched> {
  const loader = script.endsWith('.ts') ? ['-r', '@swc-node/register'] : [];
  const child = spawn(process.execPath, [...loader, join(ROOT, script), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /ws:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (m) resolve({ child, url: m[0] });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

/** Starts Palestra's CLI from `dist/` (built first) with `args`, on 127.0.0.1 and a free port. */
export function launchPalestra(args: string[] = []): Promise<Launched> {
  build();
  return launch('dist/cli/index.js', ['--host', '127.0.0.1', '--port', '0', '--log-level', 'silent', ...args]);
}
