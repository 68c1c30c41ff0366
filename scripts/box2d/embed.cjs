// Writes the built Box2D WebAssembly module as a base64 string in a TypeScript module, so
// Node and the browser bundle load it the same way, without reading files at run time.
const { readFileSync, writeFileSync } = require('node:fs');
const { createHash } = require('node:crypto');

const [wasmPath, outPath, compiler] = process.argv.slice(2);
const bytes = readFileSync(wasmPath);
const sha = createHash('sha256').update(bytes).digest('hex');
const b64 = bytes.toString('base64');
const lines = b64.match(/.{1,100}/g).map((l) => `  '${l}',`).join('\n');
writeFileSync(
  outPath,
  `/**
 * Box2D 2.3.0 compiled to WebAssembly by scripts/box2d/build.sh (${compiler}),
 * ${bytes.length} bytes, sha256 ${sha}. Generated; do not edit by hand.
 */
export const BOX2D_WASM_BASE64 = [
${lines}
].join('');
`,
);
console.log(`${outPath}: ${bytes.length} bytes, sha256 ${sha}`);
