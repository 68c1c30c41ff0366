/**
 * How the generated constant tables print their numbers: a double in the
 * shortest digits that read back to it (`String`), with `.0` on a whole number
 * so it still reads as a double and the sign of -0 kept; arrays four values a line.
 */
'use strict';

/** A double in the shortest digits that read back to it, with `.0` when whole. */
function double(x) {
  const s = Object.is(x, -0) ? '-0' : String(x);
  return /^-?\d+$/.test(s) ? `${s}.0` : s;
}

/** `export const NAME = new Float64Array([...]);` under its doc comment, four values a line. */
function float64Array(name, doc, values, format = double) {
  const lines = [`/** ${doc} */`, `export const ${name} = new Float64Array([`];
  for (let i = 0; i < values.length; i += 4) {
    lines.push(`  ${values.slice(i, i + 4).map(format).join(', ')},`);
  }
  lines.push(']);');
  return lines.join('\n');
}

/** The double whose IEEE-754 bits are the 64-bit integer `bits`. */
function fromBits(bits) {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt.asUintN(64, bits));
  return view.getFloat64(0);
}

/** Writes `text` to `file` when `--write` is among the arguments, else prints it. */
function emit(text, file, args) {
  if (args.includes('--write')) require('node:fs').writeFileSync(file, text);
  else process.stdout.write(text);
}

module.exports = { double, float64Array, fromBits, emit };
