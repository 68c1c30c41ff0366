/** The progress of a training or evaluation job, drawn on a terminal or written as lines to a pipe. */
import type { Subscriber } from '../api/train';
import { duration, fmt } from './format';

const WIDTH = 24;

/**
 * The bar and its percentage for `done` of `total`, rounded down so that it
 * reads 100% only once the last step is done.
 */
export function bar(done: number, total: number): string {
  const frac = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.floor(frac * WIDTH);
  const percent = Math.floor(frac * 100);
  return `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(percent).padStart(3)}%`;
}

/** Short names for the losses a bar has room for. */
const LOSS_NAMES: Record<string, string> = { policy: 'pi', value: 'vf', approx_kl: 'kl', td: 'td' };

/** A training frame as one line: the bar, steps, episodes, returns, the latest losses, entropy or epsilon, speed and time left. */
export function trainLine(p: any): string {
  const evaluation = p.evaluation ? `  eval ${fmt(p.evaluation.mean_return)}` : '';
  const losses = Object.entries<number>(p.losses ?? {})
    .filter(([name]) => name in LOSS_NAMES)
    .map(([name, v]) => `${LOSS_NAMES[name]} ${Math.abs(v) >= 100 ? v.toExponential(1) : v.toPrecision(2)}`);
  if (p.entropy !== null && p.entropy !== undefined) losses.push(`ent ${fmt(p.entropy, 2)}`);
  if (p.epsilon !== null && p.epsilon !== undefined) losses.push(`eps ${fmt(p.epsilon, 2)}`);
  return (
    `${bar(p.timesteps, p.total_timesteps)}  ` +
    `${p.timesteps}/${p.total_timesteps} steps  ${p.episodes} ep  mean100 ${fmt(p.mean_return_100)}${evaluation}  ` +
    `${losses.length ? `${losses.join(' ')}  ` : ''}${fmt(p.steps_per_second, 0)} steps/s  ETA ${duration(p.remaining_s)}`
  );
}

/** Draws progress on one rewritten line on a terminal, or a line per tenth of the run elsewhere. */
export class ProgressBar implements Subscriber {
  readonly open = true;
  private lastTenth = -1;
  private drawn = false;

  constructor(private readonly out: NodeJS.WriteStream) {}

  /** Receives the job's progress frames. */
  notify(method: string, p: any): void {
    if (method === 'train.progress') {
      this.line(trainLine(p), Math.floor((p.timesteps / p.total_timesteps) * 10));
    } else if (method === 'evaluate.progress') {
      this.line(`episode ${p.episodes_done}/${p.episodes}  return ${fmt(p.return, 2)}  mean ${fmt(p.mean_return, 2)}`, Math.floor((p.episodes_done / p.episodes) * 10));
    }
  }

  private line(text: string, tenth: number): void {
    if (this.out.isTTY) {
      this.out.write(`\r${text.slice(0, (this.out.columns ?? 120) - 1)}\x1b[K`);
      this.drawn = true;
    } else if (tenth > this.lastTenth) {
      this.lastTenth = tenth;
      this.out.write(`${text}\n`);
    }
  }

  /** Ends the rewritten line before the result is printed. */
  end(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}
