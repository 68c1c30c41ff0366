/**
 * Gymnasium's Taxi (Dietterich, 2000): drive to the passenger, pick them up and drop them
 * off at their destination on a 5x5 grid with walls. Optional rain makes moves slip
 * sideways; a fickle passenger may change destination once after the first move.
 */
import { Info, ResetArgs, StepResult } from '../core';
import { Discrete } from '../spaces/discrete';
import { TabularEnv } from './tabular_env';
import { Transition, colorize, noRenderMode } from './utils';

/** The map, walls drawn with `|` and open borders with `:`. */
export const MAP = ['+---------+', '|R: | : :G|', '| : | : : |', '| : : : : |', '| | : | : |', '|Y| : |B: |', '+---------+'];

/** Keyword arguments of `make('Taxi-v4', kwargs)`. */
export interface TaxiKwargs {
  render_mode?: string | null;
  /** Moves go where intended with `rainy_probability`, else to either side. */
  is_rainy?: boolean;
  /** The passenger may change destination once, after the taxi first moves with them aboard. */
  fickle_passenger?: boolean;
  rainy_probability?: number;
  fickle_probability?: number;
}

const LOCS: [number, number][] = [
  [0, 0],
  [0, 4],
  [4, 0],
  [4, 3],
];
const NUM_STATES = 500;
const NUM_ROWS = 5;
const NUM_COLUMNS = 5;
const MAX_ROW = NUM_ROWS - 1;
const MAX_COL = NUM_COLUMNS - 1;
const NUM_ACTIONS = 6;

function locIndex(row: number, col: number): number {
  return LOCS.findIndex(([r, c]) => r === row && c === col);
}

export class TaxiEnv extends TabularEnv {
  override metadata = { render_modes: ['ansi'], render_fps: 4 };
  readonly desc: string[][] = MAP.map((line) => [...line]);
  readonly locs = LOCS;
  readonly action_space = new Discrete(NUM_ACTIONS);
  readonly observation_space = new Discrete(NUM_STATES);
  readonly P: Transition[][][];
  readonly initial_state_distrib: Float64Array;
  readonly rainy_probability: number;
  readonly fickle_passenger: boolean;
  readonly fickle_probability: number;
  private readonly rainyLateralProbability: number;
  fickle_step = false;

  constructor(kwargs: TaxiKwargs = {}) {
    super();
    this.render_mode = kwargs.render_mode ?? null;
    const isRainy = kwargs.is_rainy ?? false;
    this.fickle_passenger = kwargs.fickle_passenger ?? false;
    this.rainy_probability = kwargs.rainy_probability ?? 0.8;
    this.fickle_probability = kwargs.fickle_probability ?? 0.3;
    this.rainyLateralProbability = (1.0 - this.rainy_probability) / 2.0;
    this.P = Array.from({ length: NUM_STATES }, () => Array.from({ length: NUM_ACTIONS }, () => [] as Transition[]));
    const counts = new Float64Array(NUM_STATES);
    for (let row = 0; row < NUM_ROWS; row++) {
      for (let col = 0; col < NUM_COLUMNS; col++) {
        for (let passIdx = 0; passIdx < LOCS.length + 1; passIdx++) {
          for (let destIdx = 0; destIdx < LOCS.length; destIdx++) {
            const state = this.encode(row, col, passIdx, destIdx);
            if (passIdx < 4 && passIdx !== destIdx) counts[state] += 1;
            for (let action = 0; action < NUM_ACTIONS; action++) {
              if (isRainy) this.buildRainyTransitions(row, col, passIdx, destIdx, action);
              else this.buildDryTransitions(row, col, passIdx, destIdx, action);
            }
          }
        }
      }
    }
    let total = 0;
    for (let i = 0; i < NUM_STATES; i++) total += counts[i];
    this.initial_state_distrib = counts.map((c) => c / total);
  }

  private pickup(row: number, col: number, passIdx: number, reward: number): [number, number] {
    if (passIdx < 4 && LOCS[passIdx][0] === row && LOCS[passIdx][1] === col) return [4, reward];
    return [passIdx, -10];
  }

  private dropoff(row: number, col: number, passIdx: number, destIdx: number, defaultReward: number): [number, number, boolean] {
    if (LOCS[destIdx][0] === row && LOCS[destIdx][1] === col && passIdx === 4) return [destIdx, 20, true];
    if (locIndex(row, col) !== -1 && passIdx === 4) return [locIndex(row, col), defaultReward, false];
    return [passIdx, -10, false];
  }

  private buildDryTransitions(row: number, col: number, passIdx: number, destIdx: number, action: number): void {
    const state = this.encode(row, col, passIdx, destIdx);
    let newRow = row;
    let newCol = col;
    let newPassIdx = passIdx;
    let reward = -1;
    let terminated = false;
    if (action === 0) newRow = Math.min(row + 1, MAX_ROW);
    else if (action === 1) newRow = Math.max(row - 1, 0);
    if (action === 2 && this.desc[1 + row][2 * col + 2] === ':') newCol = Math.min(col + 1, MAX_COL);
    else if (action === 3 && this.desc[1 + row][2 * col] === ':') newCol = Math.max(col - 1, 0);
    else if (action === 4) [newPassIdx, reward] = this.pickup(row, col, newPassIdx, reward);
    else if (action === 5) [newPassIdx, reward, terminated] = this.dropoff(row, col, newPassIdx, destIdx, reward);
    this.P[state][action].push([1.0, this.encode(newRow, newCol, newPassIdx, destIdx), reward, terminated]);
  }

  /** Where a sideways slip leads: nowhere if a wall is in the way. */
  private calcNewPosition(row: number, col: number, [dr, dc]: readonly [number, number]): [number, number] {
    const newRow = Math.max(0, Math.min(row + dr, MAX_ROW));
    const newCol = Math.max(0, Math.min(col + dc, MAX_COL));
    if (dc === 1 && this.desc[1 + newRow][2 * newCol] !== ':') return [row, col];
    if (dc === -1 && this.desc[1 + newRow][2 * newCol + 2] !== ':') return [row, col];
    return [newRow, newCol];
  }

  private buildRainyTransitions(row: number, col: number, passIdx: number, destIdx: number, action: number): void {
    const state = this.encode(row, col, passIdx, destIdx);
    let leftPos: [number, number] = [row, col];
    let rightPos: [number, number] = [row, col];
    let newRow = row;
    let newCol = col;
    let newPassIdx = passIdx;
    let reward = -1;
    let terminated = false;
    // Intended move, then the two sideways slips.
    const moves: Record<number, readonly (readonly [number, number])[]> = {
      0: [[1, 0], [0, 1], [0, -1]],
      1: [[-1, 0], [0, -1], [0, 1]],
      2: [[0, 1], [-1, 0], [1, 0]],
      3: [[0, -1], [1, 0], [-1, 0]],
    };
    if (
      (action === 0 && row < MAX_ROW) ||
      (action === 1 && row > 0) ||
      (action === 2 && this.desc[1 + row][2 * col + 2] === ':') ||
      (action === 3 && this.desc[1 + row][2 * col] === ':')
    ) {
      const [dr, dc] = moves[action][0];
      newRow = Math.max(0, Math.min(row + dr, MAX_ROW));
      newCol = Math.max(0, Math.min(col + dc, MAX_COL));
      leftPos = this.calcNewPosition(row, col, moves[action][1]);
      rightPos = this.calcNewPosition(row, col, moves[action][2]);
    } else if (action === 4) [newPassIdx, reward] = this.pickup(row, col, newPassIdx, reward);
    else if (action === 5) [newPassIdx, reward, terminated] = this.dropoff(row, col, newPassIdx, destIdx, reward);
    const intended = this.encode(newRow, newCol, newPassIdx, destIdx);
    if (action <= 3) {
      const lateral = this.rainyLateralProbability;
      this.P[state][action].push([this.rainy_probability, intended, -1, terminated]);
      this.P[state][action].push([lateral, this.encode(leftPos[0], leftPos[1], newPassIdx, destIdx), -1, terminated]);
      this.P[state][action].push([lateral, this.encode(rightPos[0], rightPos[1], newPassIdx, destIdx), -1, terminated]);
    } else {
      this.P[state][action].push([1.0, intended, reward, terminated]);
    }
  }

  /** Gymnasium's `encode`: ((row * 5 + col) * 5 + passenger_location) * 4 + destination. */
  encode(taxi_row: number, taxi_col: number, pass_loc: number, dest_idx: number): number {
    return ((taxi_row * 5 + taxi_col) * 5 + pass_loc) * 4 + dest_idx;
  }

  /** Gymnasium's `decode`: [taxi_row, taxi_col, passenger_location, destination]. */
  decode(i: number): [number, number, number, number] {
    const dest = i % 4;
    i = Math.floor(i / 4);
    const pass = i % 5;
    i = Math.floor(i / 5);
    const col = i % 5;
    const row = Math.floor(i / 5);
    return [row, col, pass, dest];
  }

  /** Gymnasium's `action_mask(state)`: 1 for each action that changes the state. */
  action_mask(state: number): Int8Array {
    const mask = new Int8Array(6);
    const [taxiRow, taxiCol, passLoc, destIdx] = this.decode(state);
    if (taxiRow < 4) mask[0] = 1;
    if (taxiRow > 0) mask[1] = 1;
    if (taxiCol < 4 && this.desc[taxiRow + 1][2 * taxiCol + 2] === ':') mask[2] = 1;
    if (taxiCol > 0 && this.desc[taxiRow + 1][2 * taxiCol] === ':') mask[3] = 1;
    if (passLoc < 4 && LOCS[passLoc][0] === taxiRow && LOCS[passLoc][1] === taxiCol) mask[4] = 1;
    const atDest = LOCS[destIdx][0] === taxiRow && LOCS[destIdx][1] === taxiCol;
    if (passLoc === 4 && (atDest || locIndex(taxiRow, taxiCol) !== -1)) mask[5] = 1;
    return mask;
  }

  override step(a: number): StepResult<number> {
    const [p, next, r, t] = this.sampleTransition(a);
    let s = next;
    // sampleTransition has checked that a state exists.
    const [shadowRow, shadowCol, shadowPassLoc, shadowDestIdx] = this.decode(this.s!);
    const [taxiRow, taxiCol, passLoc] = this.decode(s);
    if (this.fickle_passenger && this.fickle_step && shadowPassLoc === 4 && (taxiRow !== shadowRow || taxiCol !== shadowCol)) {
      this.fickle_step = false;
      const possible = [0, 1, 2, 3].filter((d) => d !== shadowDestIdx);
      s = this.encode(taxiRow, taxiCol, passLoc, this.np_random.choice(possible));
    }
    this.s = s;
    return [s, r, t, false, { prob: p, action_mask: this.action_mask(s) }];
  }

  override reset({ seed }: ResetArgs = {}): [number, Info] {
    const s = this.sampleInitialState(seed);
    this.fickle_step = this.fickle_passenger && this.np_random.random() < this.fickle_probability;
    return [s, { prob: 1.0, action_mask: this.action_mask(s) }];
  }

  /** The map with taxi, passenger and destination coloured, as Gymnasium's ansi mode prints it. */
  override render(): string {
    if (this.render_mode !== 'ansi') noRenderMode(this.spec?.id);
    const out = this.desc.map((line) => [...line]);
    const [taxiRow, taxiCol, passIdx, destIdx] = this.decode(this.s ?? 0);
    const ul = (x: string): string => (x === ' ' ? '_' : x);
    if (passIdx < 4) {
      out[1 + taxiRow][2 * taxiCol + 1] = colorize(out[1 + taxiRow][2 * taxiCol + 1], 'yellow', false, true);
      const [pi, pj] = LOCS[passIdx];
      out[1 + pi][2 * pj + 1] = colorize(out[1 + pi][2 * pj + 1], 'blue', true);
    } else {
      out[1 + taxiRow][2 * taxiCol + 1] = colorize(ul(out[1 + taxiRow][2 * taxiCol + 1]), 'green', false, true);
    }
    const [di, dj] = LOCS[destIdx];
    out[1 + di][2 * dj + 1] = colorize(out[1 + di][2 * dj + 1], 'magenta');
    let text = out.map((row) => row.join('')).join('\n') + '\n';
    text += this.lastaction !== null ? `  (${['South', 'North', 'East', 'West', 'Pickup', 'Dropoff'][this.lastaction]})\n` : '\n';
    return text;
  }
}
