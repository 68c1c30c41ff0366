/**
 * How deep a message nests, read from its text before it is parsed: one pass
 * over the characters counting `[`/`{` against `]`/`}` outside strings, with
 * no recursion and no allocation, so a message nested thousands of levels deep
 * is refused before any walker (parser, schema validation, spaces, codecs)
 * could go down it.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_LIST = 0x5b;
const CLOSE_LIST = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/** The index of the quote that ends the string opened at `open` (or the text's length if none does). */
function endOfString(text: string, open: number): number {
  let end = text.indexOf('"', open + 1);
  while (end !== -1) {
    // A quote ends the string unless an odd number of backslashes escapes it.
    let backslashes = 0;
    for (let k = end - 1; text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if ((backslashes & 1) === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return text.length;
}

/** Whether the text holds at most `limit` opening brackets in all (strings included): then it cannot nest deeper. */
function fewOpenings(text: string, limit: number): boolean {
  // indexOf runs natively, so counting a step message's few brackets costs far less than reading every character.
  let count = 0;
  for (let i = text.indexOf('['); i !== -1; i = text.indexOf('[', i + 1)) if (++count > limit) return false;
  for (let i = text.indexOf('{'); i !== -1; i = text.indexOf('{', i + 1)) if (++count > limit) return false;
  return true;
}

/** Whether JSON text nests lists and objects more than `limit` levels deep (`{}` is one level). */
export function nestsDeeperThan(text: string, limit: number): boolean {
  const n = text.length;
  // Deeper than `limit` takes at least limit + 1 opening and as many closing brackets: short text cannot be.
  if (n < 2 * (limit + 1) || fewOpenings(text, limit)) return false;
  let depth = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Strings are skipped whole (indexOf is far faster than a loop over their characters).
      i = endOfString(text, i);
    } else if (c === OPEN_LIST || c === OPEN_OBJECT) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_LIST || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}
