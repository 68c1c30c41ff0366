/** The client's wire types come from protocol/: the generated module is current, and every method the client wraps exists. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, METHOD_NAMES } from '../../clients/src';
import { registry } from '../../src/envs';
import { ERRORS } from '../../src/errors';
import { protocol } from '../../src/server/protocol';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generate, OUT_FILE, SERVER_OUT_FILE } = require('../../clients/scripts/protocol-types.cjs') as {
  generate(): string;
  OUT_FILE: string;
  SERVER_OUT_FILE: string;
};

test('clients/src/protocol.ts is what the generator makes from protocol/ today', () => {
  expect(readFileSync(OUT_FILE, 'utf8')).toBe(generate());
});

test("the server's src/generated/protocol.ts is what the generator makes from protocol/ today", () => {
  expect(readFileSync(SERVER_OUT_FILE, 'utf8')).toBe(generate());
});

test('the method list and the error catalogue match the server', () => {
  expect([...METHOD_NAMES].sort()).toEqual(protocol().names());
  for (const [name, code] of Object.entries(ERROR_CODES)) expect(ERRORS[name as keyof typeof ERRORS]?.code ?? code).toBe(code);
  expect(Object.keys(ERROR_CODES).sort()).toEqual(Object.keys(ERRORS).sort());
});

test('every method the client calls by name is in the protocol', () => {
  const source = ['client.ts', 'env.ts'].map((f) => readFileSync(join(__dirname, '../../clients/src', f), 'utf8')).join('\n');
  const called = new Set([...source.matchAll(/\.call\b[^(]*\('([a-z_]+)'/g)].map((m) => m[1]));
  expect(called.size).toBeGreaterThan(10);
  const missing = [...called].filter((m) => !protocol().methods.has(m));
  expect(missing).toEqual([]);
});

test("clients/src/envs.ts types the server's built-in environments from their spaces today", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const envTypes = require('../../clients/scripts/env-types.cjs') as { generate(rows: unknown[]): string; rowsOf(r: unknown): unknown[]; OUT_FILE: string };
  expect(readFileSync(envTypes.OUT_FILE, 'utf8')).toBe(envTypes.generate(envTypes.rowsOf(registry)));
});
