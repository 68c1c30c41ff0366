/**
 * Exact expected (undiscounted) returns of the toy-text environments, with no
 * sampling noise: of a given deterministic policy, or of the optimal one.
 *
 * - FrozenLake, Taxi and CliffWalking carry their transition tables (`P`), so
 *   backward induction over the time limit gives both at once.
 * - Blackjack has no table: its cards come from an infinite deck (each draw
 *   independent: ace to nine 1/13 each, ten-valued 4/13), so the player's
 *   value is a recursion over (sum, usable ace, dealer's card), and the stick
 *   value averages over the dealer's final hand, itself a recursion.
 */
import type { BlackjackKwargs } from '../src/envs/toy_text/blackjack';

/** A toy-text environment's model: `P[s][a]` = [prob, next, reward, terminated][], and the start distribution. */
export interface TabularModel {
  P: [number, number, number, boolean][][][];
  initial_state_distrib: Float64Array;
}

/**
 * The expected return over `horizon` steps (the time limit) from the initial
 * distribution, by backward induction: of the policy `act`, or of the optimal
 * policy when `act` is null.
 */
export function tabularReturn(model: TabularModel, horizon: number, act: ((s: number) => number) | null): number {
  const nS = model.P.length;
  let v = new Float64Array(nS);
  const actions = act ? Array.from({ length: nS }, (_, s) => act(s)) : null;
  for (let t = 0; t < horizon; t++) {
    const next = new Float64Array(nS);
    for (let s = 0; s < nS; s++) {
      const value = (a: number) => {
        let sum = 0;
        for (const [p, s2, r, term] of model.P[s][a]) sum += p * (r + (term ? 0 : v[s2]));
        return sum;
      };
      if (actions) next[s] = value(actions[s]);
      else {
        let best = -Infinity;
        for (let a = 0; a < model.P[s].length; a++) best = Math.max(best, value(a));
        next[s] = best;
      }
    }
    v = next;
  }
  return model.initial_state_distrib.reduce((sum, p, s) => sum + p * v[s], 0);
}

/** Probability of drawing a card of value `c` (1 = ace, 10 = ten or face card). */
const cardProb = (c: number) => (c === 10 ? 4 / 13 : 1 / 13);
const CARDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** A hand's total counting a usable ace as 11. */
const total = (raw: number, ace: boolean) => (ace && raw + 10 <= 21 ? raw + 10 : raw);

/**
 * The dealer's final hand given the face-up card: index 0 bust, 1..5 a total of
 * 17..21 reached by drawing, 6 a natural (ace and ten as the two first cards).
 */
export function dealerOutcomes(up: number): Float64Array {
  const memo = new Map<number, Float64Array>();
  const draw = (raw: number, ace: boolean): Float64Array => {
    const key = raw * 2 + Number(ace);
    const known = memo.get(key);
    if (known) return known;
    const out = new Float64Array(7);
    const t = total(raw, ace);
    if (t > 21) out[0] = 1;
    else if (t >= 17) out[t - 16] = 1;
    else for (const c of CARDS) draw(raw + c, ace || c === 1).forEach((p, i) => (out[i] += cardProb(c) * p));
    memo.set(key, out);
    return out;
  };
  const out = new Float64Array(7);
  for (const hidden of CARDS) {
    const natural = (up === 1 && hidden === 10) || (up === 10 && hidden === 1);
    if (natural) out[6] += cardProb(hidden);
    else draw(up + hidden, up === 1 || hidden === 1).forEach((p, i) => (out[i] += cardProb(hidden) * p));
  }
  return out;
}

/** A Blackjack policy on the observation [player_sum, dealer_card, usable_ace]: 0 stick, 1 hit. */
export type BlackjackPolicy = (obs: [number, number, number]) => number;

/**
 * The expected return of one Blackjack episode under `kwargs` (`sab` and
 * `natural`, as `make` gives them), of the policy `act`, or of the optimal
 * policy when `act` is null. A natural and a later soft 21 look alike (21, d, 1);
 * sticking is best on both, so the optimum over observation policies is the
 * optimum over all.
 */
export function blackjackReturn(kwargs: BlackjackKwargs, act: BlackjackPolicy | null): number {
  return blackjackSolve(kwargs, act).expected;
}

/** The optimal Blackjack policy under `kwargs`: hit where hitting (then playing on optimally) is worth more than sticking. */
export function blackjackOptimalPolicy(kwargs: BlackjackKwargs): BlackjackPolicy {
  const { hits } = blackjackSolve(kwargs, null);
  return ([sum, up, ace]) => Number(hits.has(`${sum},${up},${ace}`));
}

function blackjackSolve(kwargs: BlackjackKwargs, act: BlackjackPolicy | null): { expected: number; hits: Set<string> } {
  const hits = new Set<string>();
  const sab = kwargs.sab ?? false;
  const payNatural = !sab && (kwargs.natural ?? false);
  let expected = 0;
  for (const up of CARDS) {
    const dealer = dealerOutcomes(up);
    const dealerScore = (i: number) => (i === 0 ? 0 : i === 6 ? 21 : 16 + i);
    const stick = (score: number, natural: boolean) => {
      let v = 0;
      for (let i = 0; i < 7; i++) {
        let r = Math.sign(score - dealerScore(i));
        if (sab && natural && i !== 6) r = 1;
        else if (payNatural && natural && r === 1) r = 1.5;
        v += dealer[i] * r;
      }
      return v;
    };
    // value[raw * 2 + usable]: of a non-natural hand, filled from the largest raw sum down.
    const value = new Float64Array(2 * 23);
    const choose = (obs: [number, number, number], stickValue: number, hitValue: number) => {
      if (act) return act(obs) === 0 ? stickValue : hitValue;
      if (hitValue > stickValue) hits.add(obs.join(','));
      return Math.max(stickValue, hitValue);
    };
    const hit = (raw: number, usable: boolean) => {
      let v = 0;
      for (const c of CARDS) {
        const raw2 = raw + c;
        const usable2 = (usable || c === 1) && raw2 + 10 <= 21;
        v += cardProb(c) * (total(raw2, usable2) > 21 ? -1 : value[raw2 * 2 + Number(usable2)]);
      }
      return v;
    };
    for (let raw = 21; raw >= 2; raw--) {
      for (const usable of [false, true]) {
        if (usable && raw + 10 > 21) continue;
        const sum = total(raw, usable);
        value[raw * 2 + Number(usable)] = choose([sum, up, Number(usable)], stick(sum, false), hit(raw, usable));
      }
    }
    for (const a of CARDS) {
      for (const b of CARDS) {
        const raw = a + b;
        const usable = (a === 1 || b === 1) && raw + 10 <= 21;
        const natural = (a === 1 && b === 10) || (a === 10 && b === 1);
        const sum = total(raw, usable);
        const v = natural ? choose([sum, up, 1], stick(21, true), hit(raw, true)) : value[raw * 2 + Number(usable)];
        expected += cardProb(up) * cardProb(a) * cardProb(b) * v;
      }
    }
  }
  return { expected, hits };
}
