/**
 * Prints src/envs/utils/libm_constants.ts from glibc's source: the sin/cos
 * table `__sincostab` (sincostab.c) and pow's `__pow_log_data` and
 * `__exp_data` (e_pow_log_data.c, e_exp_data.c), all in sysdeps/ieee754/dbl-64/.
 * The values are glibc's own initialisers (hex words and hex floats), read, not
 * recomputed: recomputing them from the math misses glibc's last bits.
 * Run: node scripts/tables/libm-constants.cjs [glibc-X.Y.tar.xz | glibc-X.Y/] [--write]
 * The default is the tarball of Debian's `glibc-source` under /usr/src/glibc/.
 */
'use strict';
const { execFileSync } = require('node:child_process');
const { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { basename, join } = require('node:path');
const { double, float64Array, fromBits, emit } = require('./format.cjs');

const OUT_FILE = join(__dirname, '..', '..', 'src', 'envs', 'utils', 'libm_constants.ts');
const DEBIAN_DIR = '/usr/src/glibc';
const DBL64 = 'sysdeps/ieee754/dbl-64';
const FILES = ['math_config.h', 'sincostab.c', 'e_pow_log_data.c', 'e_exp_data.c'];

/** The glibc tarball Debian's glibc-source installs, or undefined when it is not installed. */
function defaultSource() {
  if (!existsSync(DEBIAN_DIR)) return undefined;
  const tarballs = readdirSync(DEBIAN_DIR).filter((f) => /^glibc-[\d.]+\.tar\.xz$/.test(f)).sort();
  return tarballs.length ? join(DEBIAN_DIR, tarballs[tarballs.length - 1]) : undefined;
}

/** The glibc version and a reader of the dbl-64 files, from an unpacked tree or the tarball (unpacked into a temporary directory). */
function reader(source) {
  const version = /glibc-(\d+(?:\.\d+)+)/.exec(basename(source))?.[1];
  if (!version) throw new Error(`${source}: expected a glibc-X.Y tarball or directory`);
  const readFrom = (root) => new Map(FILES.map((f) => [f, readFileSync(join(root, DBL64, f), 'utf8')]));
  let files;
  if (statSync(source).isDirectory()) files = readFrom(source);
  else {
    const tmp = mkdtempSync(join(tmpdir(), 'glibc-'));
    try {
      execFileSync('tar', ['-xJf', source, '-C', tmp, ...FILES.map((f) => `glibc-${version}/${DBL64}/${f}`)]);
      files = readFrom(join(tmp, `glibc-${version}`));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return { version, read: (file) => files.get(file) };
}

/** C source without comments and preprocessor lines (the `#if` guards are checked against math_config.h instead). */
function code(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*/g, '').replace(/^\s*#.*$/gm, '');
}

/** A C hex-float (`-0x1.8p52`) or integer literal as a double. */
function literal(text, macros) {
  if (text in macros) return macros[text];
  const m = /^([+-]?)0x([0-9a-f]+)(?:\.([0-9a-f]*))?p([+-]?\d+)$/i.exec(text);
  if (!m) {
    if (!/^[+-]?\d+$/.test(text)) throw new Error(`unexpected literal ${text}`);
    return Number(text);
  }
  const digits = m[2] + (m[3] ?? '');
  const mantissa = BigInt(`0x${digits}`);
  if (BigInt(Number(mantissa)) !== mantissa) throw new Error(`${text}: more than 53 significant bits`);
  const value = Number(mantissa) * 2 ** (Number(m[4]) - 4 * (m[3] ?? '').length);
  return m[1] === '-' ? -value : value;
}

/** The value of an initialiser: literals joined by `*`, as C multiplies doubles. */
function evaluate(expr, macros) {
  return expr.split('*').map((f) => literal(f.trim(), macros)).reduce((a, b) => a * b);
}

/** The text initialising `.name` in a designated initialiser: a `{...}` list or one expression. */
function field(src, name) {
  const m = new RegExp(`^\\.${name}\\s*=\\s*(\\{[^}]*\\}|[^,\\n]*)`, 'm').exec(src);
  if (!m) throw new Error(`no .${name} initialiser`);
  return m[1];
}

/** The comma-separated items of a `{...}` list. */
function items(list) {
  return list.replace(/^\{|\}$/g, '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** Checks math_config.h still gives the table sizes the data files guard with `#if` and libm.ts expects. */
function checkConfig(read) {
  const config = read('math_config.h');
  const expected = { EXP_TABLE_BITS: 7, EXP_POLY_ORDER: 5, POW_LOG_TABLE_BITS: 7, POW_LOG_POLY_ORDER: 8 };
  for (const [name, value] of Object.entries(expected)) {
    const m = new RegExp(`#define ${name} (\\d+)`).exec(config);
    if (Number(m?.[1]) !== value) throw new Error(`math_config.h: ${name} is ${m?.[1]}, libm.ts expects ${value}`);
  }
}

/** `__sincostab` from its big-endian initialiser: 880 32-bit words, high word first, 440 doubles. */
function sincostab(read) {
  const text = read('sincostab.c');
  const big = text.slice(text.indexOf('#ifdef BIG_ENDI'), text.indexOf('#else'));
  const words = code(big).match(/0x[0-9a-f]{8}/gi).map((w) => BigInt(w));
  if (words.length !== 880) throw new Error(`sincostab.c: ${words.length} words, expected 880`);
  const x = [];
  for (let i = 0; i < words.length; i += 2) x.push(fromBits((words[i] << 32n) | words[i + 1]));
  return x;
}

/** The generated module for the glibc tree at `source`. */
function generate(source) {
  const { version, read } = reader(source);
  checkConfig(read);
  const N = { N: 1 << 7 }; // both data files define N as 1 << *_TABLE_BITS, which checkConfig found to be 7
  const powLog = code(read('e_pow_log_data.c'));
  const rows = [...field(powLog, 'tab').matchAll(/A\(([^)]*)\)/g)].map((m) => items(m[1]).map((v) => evaluate(v, N)));
  const exp = code(read('e_exp_data.c'));
  const expTab = items(field(exp, 'tab')).map((w) => BigInt(w));
  const scalar = (src, name) => evaluate(field(src, name), N);
  const tail = [];
  const scale = [];
  for (let k = 0; k < expTab.length / 2; k++) {
    tail.push(fromBits(expTab[2 * k]));
    // glibc stores 2^(k/N)'s bits less k << 45 (k/N in the exponent field); pow adds it back.
    scale.push(fromBits(expTab[2 * k + 1] + (BigInt(k) << 45n)));
  }
  const constant = (name, value) => `export const ${name} = ${double(value)};`;
  return [
    '/**',
    " * Constants of glibc's double-precision sin, cos (the IBM Accurate Mathematical Library)",
    " * and pow (log and exp tables), value for value, so that `libm.ts` computes what",
    " * Python's `math.sin`, numpy's scalar `sin` and `x ** 2` compute on Linux. Read from",
    ` * glibc ${version}'s ${DBL64}/: sincostab.c (\`__sincostab\`), e_pow_log_data.c`,
    ' * (`__pow_log_data`) and e_exp_data.c (`__exp_data`), by',
    ' * `node scripts/tables/libm-constants.cjs --write`; do not edit by hand.',
    ' */',
    '',
    float64Array('SINCOSTAB', 'sin and cos of k/128 for k = 0..109, each as a double and its correction: [sn, ssn, cs, ccs] per k.', sincostab(read)),
    '',
    float64Array('POW_LOG_INVC', "pow's log table: 1/c for each of the 128 subintervals.", rows.map((r) => r[0])),
    '',
    float64Array('POW_LOG_LOGC', "pow's log table: log(c) rounded to 43 fractional bits.", rows.map((r) => r[1])),
    '',
    float64Array('POW_LOG_LOGCTAIL', "pow's log table: the rest of log(c).", rows.map((r) => r[2])),
    '',
    float64Array('POW_LOG_POLY', "pow's log1p polynomial (already scaled as glibc evaluates it).", items(field(powLog, 'poly')).map((v) => evaluate(v, N))),
    '',
    constant('POW_LN2HI', scalar(powLog, 'ln2hi')),
    constant('POW_LN2LO', scalar(powLog, 'ln2lo')),
    '',
    float64Array('EXP_TAIL', 'exp table: the relative tail of 2^(i/128) beyond EXP_SCALE[i].', tail),
    '',
    float64Array('EXP_SCALE', 'exp table: 2^(i/128) rounded to a double.', scale),
    '',
    float64Array('EXP_POLY', 'exp polynomial coefficients C2..C5.', items(field(exp, 'poly')).map((v) => evaluate(v, N))),
    '',
    constant('EXP_INVLN2N', scalar(exp, 'invln2N')),
    constant('EXP_NEGLN2HIN', scalar(exp, 'negln2hiN')),
    constant('EXP_NEGLN2LON', scalar(exp, 'negln2loN')),
    constant('EXP_SHIFT', scalar(exp, 'shift')),
    '',
  ].join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const source = args.find((a) => !a.startsWith('--')) ?? defaultSource();
  if (!source) {
    console.error(`no glibc source: install Debian's glibc-source (it puts the tarball in ${DEBIAN_DIR}) or pass a path`);
    process.exit(1);
  }
  emit(generate(source), OUT_FILE, args);
}

module.exports = { generate, defaultSource, literal, OUT_FILE };
