/**
 * Gymnasium's CliffWalking (Sutton and Barto, Example 6.6): walk along a 4x12 grid from the
 * bottom-left to the bottom-right corner; stepping onto the cliff between them costs -100
 * and sends the agent back to the start. With `is_slippery`, moves slip sideways a third of the time.
 */
import { Discrete } from '../spaces/discrete';
import { TabularEnv } from './tabular_env';
import { Transition, noRenderMode } from './utils';

const UP = 0;
const RIGHT = 1;
const DOWN = 2;
const LEFT = 3;
const POSITION_MAPPING: Record<number, [number, number]> = { [UP]: [-1, 0], [RIGHT]: [0, 1], [DOWN]: [1, 0], [LEFT]: [0, -1] };
const SHAPE: [number, number] = [4, 12];

/** Keyword arguments of `make('CliffWalking-v1', kwargs)`. */
export interface CliffWalkingKwargs {
  render_mode?: string | null;
  is_slippery?: boolean;
}

export class CliffWalkingEnv extends TabularEnv {
  override metadata = { render_modes: ['ansi'], render_fps: 4 };
  readonly shape = SHAPE;
  readonly start_state_index = 3 * SHAPE[1] + 0;
  readonly nS = SHAPE[0] * SHAPE[1];
  readonly nA = 4;
  readonly is_slippery: boolean;
  readonly P: Transition[][][] = [];
  readonly initial_state_distrib: Float64Array;
  readonly observation_space = new Discrete(this.nS);
  readonly action_space = new Discrete(this.nA);

  constructor(kwargs: CliffWalkingKwargs = {}) {
    super();
    this.render_mode = kwargs.render_mode ?? null;
    this.is_slippery = kwargs.is_slippery ?? false;
    for (let s = 0; s < this.nS; s++) {
      const position: [number, number] = [Math.floor(s / SHAPE[1]), s % SHAPE[1]];
      this.P[s] = [UP, RIGHT, DOWN, LEFT].map((move) => this.calculateTransitionProb(position, move));
    }
    this.initial_state_distrib = new Float64Array(this.nS);
    this.initial_state_distrib[this.start_state_index] = 1.0;
  }

  /** The cliff: the bottom row between start and goal. */
  private isCliff(row: number, col: number): boolean {
    return row === 3 && col >= 1 && col <= SHAPE[1] - 2;
  }

  private calculateTransitionProb(current: [number, number], move: number): Transition[] {
    const deltas = this.is_slippery ? [(move + 3) % 4, move, (move + 1) % 4].map((a) => POSITION_MAPPING[a]) : [POSITION_MAPPING[move]];
    return deltas.map(([dr, dc]) => {
      const row = Math.max(Math.min(current[0] + dr, SHAPE[0] - 1), 0);
      const col = Math.max(Math.min(current[1] + dc, SHAPE[1] - 1), 0);
      const newState = row * SHAPE[1] + col;
      if (this.isCliff(row, col)) return [1 / deltas.length, this.start_state_index, -100, false];
      const terminated = row === SHAPE[0] - 1 && col === SHAPE[1] - 1;
      return [1 / deltas.length, newState, -1, terminated];
    });
  }

  /** The grid as Gymnasium's ansi mode prints it: x the agent, T the goal, C the cliff, o the rest. */
  override render(): string {
    if (this.render_mode !== 'ansi') noRenderMode(this.spec?.id);
    let out = '';
    for (let s = 0; s < this.nS; s++) {
      const row = Math.floor(s / SHAPE[1]);
      const col = s % SHAPE[1];
      let cell = this.s === s ? ' x ' : row === 3 && col === 11 ? ' T ' : this.isCliff(row, col) ? ' C ' : ' o ';
      if (col === 0) cell = cell.trimStart();
      if (col === SHAPE[1] - 1) cell = cell.trimEnd() + '\n';
      out += cell;
    }
    return out + '\n';
  }
}
