/**
 * Builds the client twice from one source: wire types from protocol/, then tsc to ESM with
 * declarations in clients/dist, and to CommonJS with declarations in clients/dist/cjs (marked
 * `"type": "commonjs"` there, since the package itself is ESM), so both `import` and `require`
 * load it, each with its types; then a copy of the schemas in clients/dist/protocol.
 */
'use strict';
const { execFileSync } = require('node:child_process');
const { cpSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { write, PROTOCOL_DIR } = require('./protocol-types.cjs');

const root = join(__dirname, '..');
const tsc = (...args) => execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.json'), ...args], { stdio: 'inherit' });

write();
rmSync(join(root, 'dist'), { recursive: true, force: true });
try {
  tsc();
  tsc('--module', 'commonjs', '--moduleResolution', 'node10', '--outDir', join(root, 'dist', 'cjs'));
} catch {
  // tsc has printed the errors.
  process.exit(1);
}
writeFileSync(join(root, 'dist', 'cjs', 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
cpSync(PROTOCOL_DIR, join(root, 'dist', 'protocol'), { recursive: true });
