/** Helpers shared by the toy-text environments, as Gymnasium's `toy_text/utils.py` and `utils/colorize.py`. */
import { PalestraError } from '../../errors';
import type { Generator } from '../utils/seeding';

/** One entry of a transition table `P[s][a]`: Gymnasium's `(probability, next_state, reward, terminated)`. */
export type Transition = [prob: number, next_state: number, reward: number, terminated: boolean];

/** numpy's `np.cumsum` of a list of probabilities: a sequential running sum. */
export function cumsum(probs: ArrayLike<number>): Float64Array {
  const out = new Float64Array(probs.length);
  let acc = 0;
  for (let i = 0; i < probs.length; i++) out[i] = acc += probs[i];
  return out;
}

/**
 * Gymnasium's `categorical_sample` on a precomputed cumulative sum: the first index whose
 * running sum exceeds one `random()` draw (`argmax` of a boolean array, so 0 if none does).
 */
export function categoricalSampleCdf(cdf: Float64Array, np_random: Generator): number {
  const u = np_random.random();
  for (let i = 0; i < cdf.length; i++) if (cdf[i] > u) return i;
  return 0;
}

/** Gymnasium's `categorical_sample(prob_n, np_random)`. */
export function categorical_sample(probs: ArrayLike<number>, np_random: Generator): number {
  return categoricalSampleCdf(cumsum(probs), np_random);
}

const COLOR2NUM: Record<string, number> = { gray: 30, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, white: 37, crimson: 38 };

/** Gymnasium's `colorize`: the string wrapped in ANSI colour codes (highlight uses the background colour). */
export function colorize(text: string, color: keyof typeof COLOR2NUM | string, bold = false, highlight = false): string {
  const num = COLOR2NUM[color] + (highlight ? 10 : 0);
  const attrs = bold ? `${num};1` : String(num);
  return `\x1b[${attrs}m${text}\x1b[0m`;
}

/** What `render()` does without a text render mode: a clear error instead of Gymnasium's warning and None. */
export function noRenderMode(id: string | undefined): never {
  throw new PalestraError(
    'not_supported',
    `${id ?? 'This environment'} was made without a render mode: make it with render_mode "ansi" to render text`,
  );
}

/** Checks a discrete action against `n` actions, as Gymnasium's table lookup would (KeyError there). */
export function checkDiscreteAction(action: unknown, n: number): asserts action is number {
  if (typeof action !== 'number' || !Number.isInteger(action) || action < 0 || action >= n) {
    throw new PalestraError('invalid_action', `${String(action)} invalid: expected an integer from 0 to ${n - 1}`);
  }
}
