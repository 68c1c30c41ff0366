/**
 * The constant tables in src/envs/utils/ are what their generators read from the
 * upstream artefacts: glibc's source tarball (Debian's glibc-source) and numpy's
 * libnpyrandom.a (Debian's python3-numpy). Without those packages the comparisons skip.
 */
import { readFileSync } from 'node:fs';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const libm = require('../../scripts/tables/libm-constants.cjs') as {
  generate(source: string): string;
  defaultSource(): string | undefined;
  literal(text: string, macros: Record<string, number>): number;
  OUT_FILE: string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ziggurat = require('../../scripts/tables/ziggurat-constants.cjs') as {
  generate(library: string): string;
  defaultLibrary(): string | undefined;
  OUT_FILE: string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { double } = require('../../scripts/tables/format.cjs') as { double(x: number): string };

const glibc = libm.defaultSource();
const numpy = ziggurat.defaultLibrary();

(glibc ? test : test.skip)(
  `libm_constants.ts is what scripts/tables/libm-constants.cjs reads from ${glibc ?? "glibc's source (apt-get install glibc-source to run this)"}`,
  () => {
    expect(readFileSync(libm.OUT_FILE, 'utf8')).toBe(libm.generate(glibc!));
  },
);

(numpy ? test : test.skip)(
  `ziggurat_constants.ts is what scripts/tables/ziggurat-constants.cjs reads from ${numpy ?? "numpy's libnpyrandom.a (apt-get install python3-numpy to run this)"}`,
  () => {
    expect(readFileSync(ziggurat.OUT_FILE, 'utf8')).toBe(ziggurat.generate(numpy!));
  },
);

test('C hex-float literals read as the C compiler reads them', () => {
  expect(libm.literal('0x1p-1', {})).toBe(0.5);
  expect(libm.literal('-0x1.8p52', {})).toBe(-6755399441055744);
  expect(libm.literal('0x1.fffffffffffffp1023', {})).toBe(Number.MAX_VALUE);
  expect(libm.literal('0x1p-1074', {})).toBe(Number.MIN_VALUE);
  expect(libm.literal('-2', {})).toBe(-2);
  expect(libm.literal('N', { N: 128 })).toBe(128);
  expect(() => libm.literal('1.5e3', {})).toThrow(/unexpected literal/);
});

test('a table prints each double in digits that read back to the same bits, whole ones with .0', () => {
  expect([0, -0, 1, -2.5, 0.1 + 0.2, 2 ** -1074].map(double)).toEqual(['0.0', '-0.0', '1.0', '-2.5', '0.30000000000000004', '5e-324']);
});
