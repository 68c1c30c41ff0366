/**
 * Prints src/envs/utils/numpy_random/ziggurat_constants.ts from numpy's
 * compiled random library, libnpyrandom.a (Debian's python3-numpy, or any numpy
 * install, ships it in numpy/random/lib/): the data symbols `ki_double`,
 * `wi_double`, `fi_double`, `ke_double`, `we_double` and `fe_double` of its
 * distributions.o, read byte for byte from the ELF object, not recomputed.
 * Run: node scripts/tables/ziggurat-constants.cjs [path/to/libnpyrandom.a] [--write]
 */
'use strict';
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { dirname, join, resolve } = require('node:path');
const { double, float64Array, emit } = require('./format.cjs');

const OUT_FILE = join(__dirname, '..', '..', 'src', 'envs', 'utils', 'numpy_random', 'ziggurat_constants.ts');
const DEBIAN_PATH = '/usr/lib/python3/dist-packages/numpy/random/lib/libnpyrandom.a';
const LAYERS = 256;

/** The library Debian's python3-numpy installs, or undefined when it is not installed. */
function defaultLibrary() {
  return existsSync(DEBIAN_PATH) ? DEBIAN_PATH : undefined;
}

/** The bytes of each member of an `ar` archive (the format of a `.a`). */
function archiveMembers(buf) {
  if (buf.toString('latin1', 0, 8) !== '!<arch>\n') throw new Error('not an ar archive');
  const members = [];
  for (let at = 8; at + 60 <= buf.length; ) {
    const size = Number(buf.toString('latin1', at + 48, at + 58).trim()); // after name, date, ids and mode
    members.push(buf.subarray(at + 60, at + 60 + size));
    at += 60 + size + (size % 2); // members start on even offsets
  }
  return members;
}

/** The bytes of every defined symbol of a little-endian 64-bit ELF object, as name → bytes. */
function elfSymbols(elf) {
  if (elf.toString('latin1', 0, 4) !== '\x7fELF' || elf[4] !== 2 || elf[5] !== 1) return new Map();
  const shoff = Number(elf.readBigUInt64LE(0x28));
  const section = (i) => {
    const at = shoff + i * elf.readUInt16LE(0x3a);
    return { type: elf.readUInt32LE(at + 4), offset: Number(elf.readBigUInt64LE(at + 24)), size: Number(elf.readBigUInt64LE(at + 32)), link: elf.readUInt32LE(at + 40) };
  };
  const symbols = new Map();
  for (let i = 0; i < elf.readUInt16LE(0x3c); i++) {
    const symtab = section(i);
    if (symtab.type !== 2) continue; // SHT_SYMTAB
    const strtab = section(symtab.link);
    for (let at = symtab.offset; at < symtab.offset + symtab.size; at += 24) {
      const shndx = elf.readUInt16LE(at + 6);
      if (shndx === 0 || shndx >= 0xff00) continue; // undefined, absolute or common
      const nameAt = strtab.offset + elf.readUInt32LE(at);
      const name = elf.toString('latin1', nameAt, elf.indexOf(0, nameAt));
      const start = section(shndx).offset + Number(elf.readBigUInt64LE(at + 8));
      symbols.set(name, elf.subarray(start, start + Number(elf.readBigUInt64LE(at + 16))));
    }
  }
  return symbols;
}

/** One ziggurat table, defined once among the objects: 256 little-endian doubles, or uint64 thresholds when `integers`. */
function table(objects, name, integers = false) {
  const found = objects.map((symbols) => symbols.get(name)).filter(Boolean);
  if (found.length !== 1) throw new Error(`libnpyrandom.a: ${found.length} definitions of ${name}, expected one`);
  const bytes = found[0];
  if (bytes.length !== 8 * LAYERS) throw new Error(`libnpyrandom.a: ${name} has ${bytes.length} bytes, expected ${8 * LAYERS}`);
  return Array.from({ length: LAYERS }, (_, i) => (integers ? bytes.readBigUInt64LE(8 * i) : bytes.readDoubleLE(8 * i)));
}

/** "numpy X.Y.Z's", the version from the `numpy-X.Y.Z.*-info` folder beside the `numpy` package the library sits in. */
function numpyName(library) {
  const site = resolve(dirname(library), '..', '..', '..');
  const info = existsSync(site) ? readdirSync(site).find((f) => /^numpy-[\d.]+\.(egg|dist)-info$/.test(f)) : undefined;
  return info ? `numpy ${/^numpy-([\d.]+)\./.exec(info)[1]}'s` : "numpy's";
}

/** The generated module for the library at `library`. */
function generate(library) {
  const objects = archiveMembers(readFileSync(library)).map(elfSymbols);
  const [ki, wi, fi] = [table(objects, 'ki_double', true), table(objects, 'wi_double'), table(objects, 'fi_double')];
  const [ke, we, fe] = [table(objects, 'ke_double', true), table(objects, 'we_double'), table(objects, 'fe_double')];
  // numpy's ziggurat_nor_r, ziggurat_nor_inv_r and ziggurat_exp_r are decimal
  // literals in its source, compiled into unnamed constants; the tails start at
  // the outer edge of the last layer, so r is that edge's width (exact: the
  // scale is a power of two) and numpy's 1/r is the double nearest 1/r.
  const norR = wi[LAYERS - 1] * 2 ** 52;
  const expR = we[LAYERS - 1] * 2 ** 53;
  return [
    '/**',
    " * The 256-layer ziggurat tables of numpy's `random_standard_normal` and",
    ' * `random_standard_exponential` (double precision), value for value, so that',
    " * `Generator.standard_normal()` and `standard_exponential()` draw exactly what",
    ` * numpy draws. Read from ${numpyName(library)} random/lib/libnpyrandom.a (symbols \`ki_double\`,`,
    ' * `wi_double`, `fi_double`, `ke_double`, `we_double`, `fe_double`) by',
    ' * `node scripts/tables/ziggurat-constants.cjs --write`; do not edit by hand.',
    ' */',
    '',
    "/** Normal tail start r (WI[255] * 2^52, numpy's ziggurat_nor_r), and 1/r. */",
    `export const ZIGGURAT_NOR_R = ${double(norR)};`,
    `export const ZIGGURAT_NOR_INV_R = ${double(1 / norR)};`,
    "/** Exponential tail start (WE[255] * 2^53, numpy's ziggurat_exp_r). */",
    `export const ZIGGURAT_EXP_R = ${double(expR)};`,
    '',
    float64Array('KI', 'Normal ziggurat: acceptance thresholds for the 52-bit magnitude, per layer.', ki, String),
    '',
    float64Array('WI', 'Normal ziggurat: layer widths scaled by 2^-52.', wi),
    '',
    float64Array('FI', 'Normal ziggurat: density exp(-x^2/2) at each layer edge.', fi),
    '',
    float64Array('KE', 'Exponential ziggurat: acceptance thresholds for the 53-bit draw, per layer.', ke, String),
    '',
    float64Array('WE', 'Exponential ziggurat: layer widths scaled by 2^-53.', we),
    '',
    float64Array('FE', 'Exponential ziggurat: density exp(-x) at each layer edge.', fe),
    '',
  ].join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const library = args.find((a) => !a.startsWith('--')) ?? defaultLibrary();
  if (!library) {
    console.error(`no ${DEBIAN_PATH}: install Debian's python3-numpy or pass the path of numpy/random/lib/libnpyrandom.a`);
    process.exit(1);
  }
  emit(generate(library), OUT_FILE, args);
}

module.exports = { generate, defaultLibrary, OUT_FILE };
