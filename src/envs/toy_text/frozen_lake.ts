/**
 * Gymnasium's FrozenLake: cross a frozen lake from S to G without falling into a hole H;
 * on slippery ice the intended move succeeds with `success_rate` and slips to either side otherwise.
 */
import { PalestraError } from '../../errors';
import { Discrete } from '../spaces/discrete';
import { Seed, npRandom } from '../utils/seeding';
import { TabularEnv } from './tabular_env';
import { Transition, colorize, noRenderMode } from './utils';

const LEFT = 0;
const DOWN = 1;
const RIGHT = 2;
const UP = 3;

/** The named maps. */
export const MAPS: Record<string, string[]> = {
  '4x4': ['SFFF', 'FHFH', 'FFFH', 'HFFG'],
  '8x8': ['SFFFFFFF', 'FFFFFFFF', 'FFFHFFFF', 'FFFFFHFF', 'FFFHFFFF', 'FHHFFFHF', 'FHFFHFHF', 'FFFHFFFG'],
};

/** Keyword arguments of `make('FrozenLake-v1', kwargs)`. */
export interface FrozenLakeKwargs {
  render_mode?: string | null;
  /** The map as rows of S, F, H, G; overrides `map_name`. */
  desc?: string[] | null;
  /** '4x4' or '8x8'; with `desc` also null, a random 8x8 map. */
  map_name?: string | null;
  is_slippery?: boolean;
  /** The probability that a move on slippery ice goes where intended. */
  success_rate?: number;
  /** Rewards for reaching G, falling into H, and stepping on F (or S). */
  reward_schedule?: [number, number, number];
}

/** Gymnasium's `is_valid`: whether G can be reached from the top-left corner without crossing H. */
export function is_valid(board: string[][], max_size: number): boolean {
  const frontier: [number, number][] = [[0, 0]];
  const discovered = new Set<number>();
  while (frontier.length) {
    const [r, c] = frontier.pop()!;
    if (discovered.has(r * max_size + c)) continue;
    discovered.add(r * max_size + c);
    for (const [x, y] of [
      [1, 0],
      [0, 1],
      [-1, 0],
      [0, -1],
    ]) {
      const rNew = r + x;
      const cNew = c + y;
      if (rNew < 0 || rNew >= max_size || cNew < 0 || cNew >= max_size) continue;
      if (board[rNew][cNew] === 'G') return true;
      if (board[rNew][cNew] !== 'H') frontier.push([rNew, cNew]);
    }
  }
  return false;
}

/**
 * Gymnasium's `generate_random_map(size, p, seed)`: each tile frozen with probability p,
 * drawn with numpy's `choice` until a path exists. Gymnasium would loop forever on maps
 * that cannot be valid; this gives up after 10000 tries.
 */
export function generate_random_map(size = 8, p = 0.8, seed: Seed | null = null): string[] {
  if (!Number.isSafeInteger(size) || size < 2) throw new RangeError(`generate_random_map size must be an integer of at least 2, got ${size}`);
  const [rng] = npRandom(seed);
  const prob = Math.min(1, p);
  for (let attempt = 0; attempt < 10000; attempt++) {
    const flat = rng.choices(['F', 'H'], size * size, [prob, 1 - prob]);
    const board: string[][] = [];
    for (let r = 0; r < size; r++) board.push(flat.slice(r * size, (r + 1) * size));
    board[0][0] = 'S';
    board[size - 1][size - 1] = 'G';
    if (is_valid(board, size)) return board.map((row) => row.join(''));
  }
  throw new RangeError(`generate_random_map found no map with a path in 10000 tries (p=${p})`);
}

/** Rows and columns a `desc` may have at most (64×64 = 4,096 states): the transition table grows with the cells. */
export const MAX_MAP_SIDE = 64;

export class FrozenLakeEnv extends TabularEnv {
  override metadata = { render_modes: ['ansi'], render_fps: 4 };
  readonly desc: string[][];
  readonly nrow: number;
  readonly ncol: number;
  readonly reward_range: [number, number];
  readonly P: Transition[][][];
  readonly initial_state_distrib: Float64Array;
  readonly observation_space: Discrete;
  readonly action_space = new Discrete(4);

  constructor(kwargs: FrozenLakeKwargs = {}) {
    super();
    this.render_mode = kwargs.render_mode ?? null;
    const mapName = kwargs.map_name === undefined ? '4x4' : kwargs.map_name;
    const isSlippery = kwargs.is_slippery ?? true;
    const successRate = kwargs.success_rate ?? 1.0 / 3.0;
    const rewardSchedule = kwargs.reward_schedule ?? [1, 0, 0];
    let rows = kwargs.desc ?? null;
    if (rows === null && mapName === null) rows = generate_random_map();
    else if (rows === null) {
      rows = Object.hasOwn(MAPS, mapName!) ? MAPS[mapName!] : null;
      if (!rows) throw new PalestraError('invalid_kwargs', `Unknown map_name ${JSON.stringify(mapName)}: expected one of ${Object.keys(MAPS).join(', ')}`);
    }
    if (rows.length > MAX_MAP_SIDE || rows.some((r) => r.length > MAX_MAP_SIDE)) {
      throw new PalestraError('invalid_kwargs', `desc may be at most ${MAX_MAP_SIDE}×${MAX_MAP_SIDE} cells`, { max_rows: MAX_MAP_SIDE, max_columns: MAX_MAP_SIDE });
    }
    if (!rows.length || rows.some((r) => r.length !== rows![0].length || !/^[SFHG]+$/.test(r))) {
      throw new PalestraError('invalid_kwargs', 'desc must be rows of equal length made of S, F, H and G');
    }
    if (!rows.some((r) => r.includes('S'))) throw new PalestraError('invalid_kwargs', 'desc needs a start cell S');
    const desc = rows.map((r) => [...r]);
    this.desc = desc;
    const nrow = (this.nrow = desc.length);
    const ncol = (this.ncol = desc[0].length);
    this.reward_range = [Math.min(...rewardSchedule), Math.max(...rewardSchedule)];
    const nS = nrow * ncol;
    const nA = 4;
    const starts = desc.flat().map((c) => (c === 'S' ? 1 : 0));
    const nStarts = starts.reduce((a: number, b) => a + b, 0);
    this.initial_state_distrib = Float64Array.from(starts, (v) => v / nStarts);
    const failRate = (1.0 - successRate) / 2.0;
    const toS = (row: number, col: number): number => row * ncol + col;
    const inc = (row: number, col: number, a: number): [number, number] => {
      if (a === LEFT) col = Math.max(col - 1, 0);
      else if (a === DOWN) row = Math.min(row + 1, nrow - 1);
      else if (a === RIGHT) col = Math.min(col + 1, ncol - 1);
      else if (a === UP) row = Math.max(row - 1, 0);
      return [row, col];
    };
    const outcome = (row: number, col: number, action: number): [number, number, boolean] => {
      const [newRow, newCol] = inc(row, col, action);
      const letter = desc[newRow][newCol];
      const index = 'GHF'.indexOf(letter);
      return [toS(newRow, newCol), rewardSchedule[index === -1 ? 2 : index], letter === 'G' || letter === 'H'];
    };
    this.P = [];
    for (let row = 0; row < nrow; row++) {
      for (let col = 0; col < ncol; col++) {
        const s = toS(row, col);
        const perAction: Transition[][] = [];
        for (let a = 0; a < nA; a++) {
          const li: Transition[] = [];
          const letter = desc[row][col];
          if (letter === 'G' || letter === 'H') li.push([1.0, s, 0, true]);
          else if (isSlippery) {
            for (const b of [(a + 3) % 4, a, (a + 1) % 4]) li.push([b === a ? successRate : failRate, ...outcome(row, col, b)]);
          } else li.push([1.0, ...outcome(row, col, a)]);
          perAction.push(li);
        }
        this.P[s] = perAction;
      }
    }
    this.observation_space = new Discrete(nS);
  }

  /** The map with the agent's cell highlighted, after the last action, as Gymnasium's ansi mode prints it. */
  override render(): string {
    if (this.render_mode !== 'ansi') noRenderMode(this.spec?.id);
    const desc = this.desc.map((line) => [...line]);
    const s = this.s ?? 0;
    const row = Math.floor(s / this.ncol);
    const col = s % this.ncol;
    desc[row][col] = colorize(desc[row][col], 'red', false, true);
    let out = this.lastaction !== null ? `  (${['Left', 'Down', 'Right', 'Up'][this.lastaction]})\n` : '\n';
    out += desc.map((line) => line.join('')).join('\n') + '\n';
    return out;
  }
}
