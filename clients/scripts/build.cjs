/**
 * Builds the client: wire types from protocol/, then tsc to ESM with declarations
 * in clients/dist, then a copy of the schemas in clients/dist/protocol so they ship with it.
 */
'use strict';
const { execFileSync } = require('node:child_process');
const { cpSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { write, PROTOCOL_DIR } = require('./protocol-types.cjs');

const root = join(__dirname, '..');
write();
rmSync(join(root, 'dist'), { recursive: true, force: true });
try {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
} catch {
  // tsc has printed the errors.
  process.exit(1);
}
cpSync(PROTOCOL_DIR, join(root, 'dist', 'protocol'), { recursive: true });
