/** The depth scan that refuses deep messages before they are parsed: it must agree with the parsed value's depth. */
import { nestsDeeperThan } from '../../../src/server/framing/depth';

/** The nesting depth of a parsed value (the test's reference; values here are shallow enough to walk). */
function depthOf(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  const children = Array.isArray(v) ? v : Object.values(v as object);
  return 1 + children.reduce((m: number, c) => Math.max(m, depthOf(c)), 0);
}

test('agrees with the parsed depth at, under and over the limit, strings with brackets and escapes included', () => {
  const cases = [
    '{}',
    '[[[]]]',
    '{"a":[1,{"b":"]]]}}}"}]}',
    '["\\\\"]',
    '["\\"[[[[[[[[[[[[[[["]',
    '{"k\\\\\\"[":[[[[0]]]]}',
    '"just [[[[ a string"',
    '[' + '"\\\\\\\\",'.repeat(20) + '[[[[[[1]]]]]]]',
  ];
  for (const text of cases) {
    const depth = depthOf(JSON.parse(text));
    for (const limit of [0, 1, 2, 3, 4, 5, 6, 7, 8]) expect([text, limit, nestsDeeperThan(text, limit)]).toEqual([text, limit, depth > limit]);
  }
});

test('nesting 10,000 levels deep is found without recursion, and padding in strings does not hide it', () => {
  expect(nestsDeeperThan('['.repeat(10_000) + ']'.repeat(10_000), 64)).toBe(true);
  expect(nestsDeeperThan('{"a":'.repeat(65) + '0' + '}'.repeat(65), 64)).toBe(true);
  expect(nestsDeeperThan('{"a":'.repeat(64) + '0' + '}'.repeat(64), 64)).toBe(false);
  expect(nestsDeeperThan(`{"s":"${'['.repeat(10_000)}"}`, 64)).toBe(false);
  // A string that never ends (not JSON): the brackets in it are not counted; the parser refuses it after.
  expect(nestsDeeperThan(`["${'['.repeat(500)}`, 64)).toBe(false);
});
