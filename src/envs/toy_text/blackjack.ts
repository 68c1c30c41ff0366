/**
 * Gymnasium's Blackjack (Sutton and Barto, Example 5.1): hit or stick against a dealer who
 * draws to 17, from an infinite deck. The observation is [player_sum, dealer_card, usable_ace].
 */
import { PalestraError } from '../../errors';
import { Env, Info, ResetArgs, StepResult } from '../core';
import { Discrete } from '../spaces/discrete';
import { Tuple } from '../spaces/tuple';
import type { Generator } from '../utils/seeding';
import { noRenderMode } from './utils';

/** Keyword arguments of `make('Blackjack-v1', kwargs)`. */
export interface BlackjackKwargs {
  render_mode?: string | null;
  /** Pay 1.5 for a winning natural (only when `sab` is false). */
  natural?: boolean;
  /** Sutton and Barto's rules: a natural wins 1 unless the dealer has one too. */
  sab?: boolean;
}

/** [player_sum, dealer_showing, usable_ace (0 or 1)]. */
export type BlackjackObs = [number, number, number];

function cmp(a: number, b: number): number {
  return Number(a > b) - Number(a < b);
}

/** 1 = Ace, 2-10 = number cards; Jack, Queen and King count 10. */
export const deck = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10, 10];

/** Gymnasium's `draw_card`: `np_random.choice(deck)`. */
export function draw_card(np_random: Generator): number {
  return np_random.choice(deck);
}

export function draw_hand(np_random: Generator): number[] {
  return [draw_card(np_random), draw_card(np_random)];
}

function sum(hand: number[]): number {
  return hand.reduce((a, b) => a + b, 0);
}

/** 1 if the hand holds an ace that can count 11 without busting. */
export function usable_ace(hand: number[]): number {
  return Number(hand.includes(1) && sum(hand) + 10 <= 21);
}

export function sum_hand(hand: number[]): number {
  return usable_ace(hand) ? sum(hand) + 10 : sum(hand);
}

export function is_bust(hand: number[]): boolean {
  return sum_hand(hand) > 21;
}

export function score(hand: number[]): number {
  return is_bust(hand) ? 0 : sum_hand(hand);
}

export function is_natural(hand: number[]): boolean {
  return hand.length === 2 && hand.includes(1) && hand.includes(10);
}

export class BlackjackEnv extends Env<BlackjackObs, number> {
  override metadata = { render_modes: ['ansi'], render_fps: 4 };
  readonly action_space = new Discrete(2);
  readonly observation_space = new Tuple<BlackjackObs>([new Discrete(32), new Discrete(11), new Discrete(2)]);
  readonly natural: boolean;
  readonly sab: boolean;
  player: number[] = [];
  dealer: number[] = [];
  /** The face shown for the dealer's card, drawn at reset as Gymnasium draws it for its picture. */
  dealer_top_card_suit = '';
  dealer_top_card_value_str = '';
  private started = false;
  private done = false;

  constructor(kwargs: BlackjackKwargs = {}) {
    super();
    this.render_mode = kwargs.render_mode ?? null;
    this.natural = kwargs.natural ?? false;
    this.sab = kwargs.sab ?? false;
  }

  step(action: number): StepResult<BlackjackObs> {
    if (!this.started) throw new PalestraError('reset_needed', 'Call reset before using step method.');
    if (action !== 0 && action !== 1) throw new PalestraError('invalid_action', `${String(action)} invalid: expected 0 (stick) or 1 (hit)`);
    let terminated: boolean;
    let reward: number;
    if (action) {
      this.player.push(draw_card(this.np_random));
      terminated = is_bust(this.player);
      reward = terminated ? -1.0 : 0.0;
    } else {
      terminated = true;
      while (sum_hand(this.dealer) < 17) this.dealer.push(draw_card(this.np_random));
      reward = cmp(score(this.player), score(this.dealer));
      if (this.sab && is_natural(this.player) && !is_natural(this.dealer)) reward = 1.0;
      else if (!this.sab && this.natural && is_natural(this.player) && reward === 1.0) reward = 1.5;
    }
    this.done = terminated;
    return [this.getObs(), reward, terminated, false, {}];
  }

  private getObs(): BlackjackObs {
    const s = sum(this.player);
    const ace = this.player.includes(1) && s + 10 <= 21;
    return [ace ? s + 10 : s, this.dealer[0], ace ? 1 : 0];
  }

  reset({ seed }: ResetArgs = {}): [BlackjackObs, Info] {
    this.seedReset(seed);
    const rng = this.np_random;
    this.dealer = draw_hand(rng);
    this.player = draw_hand(rng);
    // Gymnasium draws the suit and face of the dealer's card for its picture; the draws
    // are kept so later episodes see the same random stream.
    this.dealer_top_card_suit = rng.choice(['C', 'D', 'H', 'S']);
    const shown = this.dealer[0];
    if (shown === 1) this.dealer_top_card_value_str = 'A';
    else if (shown === 10) this.dealer_top_card_value_str = rng.choice(['J', 'Q', 'K']);
    else this.dealer_top_card_value_str = String(shown);
    this.started = true;
    this.done = false;
    return [this.getObs(), {}];
  }

  /**
   * A text picture of the table. Gymnasium has no text mode for Blackjack; this one shows
   * what its picture shows: the dealer's face-up card (the other hidden until the end) and the player's sum.
   */
  override render(): string {
    if (this.render_mode !== 'ansi') noRenderMode(this.spec?.id);
    const [playerSum, , ace] = this.getObs();
    const card = `${this.dealer_top_card_value_str}${this.dealer_top_card_suit}`;
    const dealer = this.done ? `${this.dealer.join(' ')} (${sum_hand(this.dealer)})` : `${card} ??`;
    return `Dealer: ${dealer}\nPlayer: ${this.player.join(' ')} (${playerSum}${ace ? ', usable ace' : ''})\n`;
  }
}
