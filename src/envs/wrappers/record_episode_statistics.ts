/**
 * Gymnasium's `RecordEpisodeStatistics`: when an episode ends, `info.episode`
 * (or `info[stats_key]`) holds its return `r`, length `l` and wall-clock
 * duration `t` in seconds (rounded to 6 decimals); the last `buffer_length`
 * of each are kept in `return_queue`, `length_queue` and `time_queue`.
 */
import { PalestraError } from '../../errors';
import { Env, Info, ResetArgs, StepResult, Wrapper } from '../core';

export class RecordEpisodeStatistics extends Wrapper<any, any> {
  episode_count = 0;
  episode_returns = 0;
  episode_lengths = 0;
  readonly return_queue: number[] = [];
  readonly length_queue: number[] = [];
  readonly time_queue: number[] = [];
  private start = -1;

  constructor(
    env: Env<any, any>,
    readonly buffer_length = 100,
    readonly stats_key = 'episode',
  ) {
    super(env);
    if (!Number.isSafeInteger(buffer_length) || buffer_length < 1) {
      throw new PalestraError('invalid_wrapper', `RecordEpisodeStatistics's buffer_length must be a positive integer, got ${buffer_length}`);
    }
  }

  override reset(args?: ResetArgs): [unknown, Info] {
    const out = this.env.reset(args);
    this.start = performance.now();
    this.episode_returns = 0;
    this.episode_lengths = 0;
    return out;
  }

  override step(action: unknown): StepResult<unknown> {
    const result = this.env.step(action);
    const [, reward, terminated, truncated] = result;
    this.episode_returns += reward;
    this.episode_lengths += 1;
    if (terminated || truncated) {
      const t = Math.round((performance.now() - this.start) * 1000) / 1e6;
      result[4] = { ...result[4], [this.stats_key]: { r: this.episode_returns, l: this.episode_lengths, t } };
      push(this.time_queue, t, this.buffer_length);
      push(this.return_queue, this.episode_returns, this.buffer_length);
      push(this.length_queue, this.episode_lengths, this.buffer_length);
      this.episode_count += 1;
      this.start = performance.now();
    }
    return result;
  }
}

function push(queue: number[], value: number, max: number): void {
  queue.push(value);
  if (queue.length > max) queue.shift();
}
