/**
 * gym-http-api's monitor, without the video: while it runs, every episode of
 * one REST environment is summarised as Gymnasium's `RecordEpisodeStatistics`
 * does (`r` return, `l` length, `t` seconds since reset, rounded to 6
 * places) and written under `<dataDir>/monitor/<directory>/` in files named
 * as old gym's Monitor named them:
 *
 * - `openaigym.episodes.<n>.<instance>.jsonl`: one line per finished episode,
 *   `{"episode": {"r", "l", "t"}, "timestamp", ...}`, plus `observations`
 *   (reset's and each step's), `actions` and `rewards` when trajectories
 *   were asked for. Written as each episode ends.
 * - `openaigym.episode_batch.<n>.<instance>.stats.json`: old gym's stats
 *   (`initial_reset_timestamp`, `timestamps`, `episode_lengths`,
 *   `episode_rewards`, `episode_types`) and `episode_times`. Written on close.
 * - `openaigym.manifest.<n>.<instance>.manifest.json`: which files belong to
 *   the run and for which environment. Written on close.
 */
import { mkdir, readdir, rm, writeFile, appendFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PalestraError } from '../errors';
import { PyFloat, pyJSON } from './json';

/** What `RecordEpisodeStatistics` puts in `info["episode"]`. */
export interface EpisodeStatistics {
  r: number;
  l: number;
  t: number;
}

/** How a monitor starts. */
export interface MonitorOptions {
  /** Absolute directory, from `monitorDirectory`. */
  directory: string;
  /** Delete the `openaigym.*` files already there. */
  force: boolean;
  /** Add to the `openaigym.*` files already there. */
  resume: boolean;
  /** Also record each episode's observations, actions and rewards. */
  trajectories: boolean;
  instanceId: string;
  envId: string;
  version: string;
}

let monitorCount = 0;

/**
 * Where a client's `directory` lands: always inside `<dataDir>/monitor`, so
 * "/tmp/run" becomes `<dataDir>/monitor/tmp/run` and ".." is refused.
 */
export function monitorDirectory(dataDir: string, directory: unknown): string {
  if (typeof directory !== 'string') throw new PalestraError('invalid_params', "The parameter 'directory' must be a string");
  if (directory.includes('\0')) throw new PalestraError('invalid_params', "The parameter 'directory' may not contain NUL");
  let parts = directory.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.length > 0 && /^[A-Za-z]:$/.test(parts[0])) parts = parts.slice(1);
  if (parts.includes('..')) {
    throw new PalestraError('invalid_params', `The monitor directory ${JSON.stringify(directory)} may not contain "..": it is always a folder under the server's data directory`);
  }
  if (parts.length === 0) throw new PalestraError('invalid_params', `The monitor directory ${JSON.stringify(directory)} names no folder`);
  return join(dataDir, 'monitor', ...parts);
}

/**
 * A file-system failure as a catalogue error in words that name no server path:
 * Node's messages hold the absolute path, which would tell a client where the data directory is.
 */
function fileFailure(err: unknown, doing: string): PalestraError {
  const code = (err as NodeJS.ErrnoException | null)?.code ?? 'EIO';
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    return new PalestraError('invalid_params', `Cannot ${doing}: a part of the monitor directory is a file, not a folder; choose another directory`, { reason: code });
  }
  if (code === 'ENAMETOOLONG') return new PalestraError('invalid_params', `Cannot ${doing}: the monitor directory's name is too long`, { reason: code });
  return new PalestraError('internal_error', `Cannot ${doing} on the server (${code})`, { reason: code });
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const unixSeconds = () => Date.now() / 1000;

/** Records the episodes of one environment while monitoring is on. */
export class EpisodeMonitor {
  private readonly prefix: string;
  private readonly episodesFile: string;
  private active = false;
  private episodeReturn = 0;
  private episodeLength = 0;
  private episodeStart = 0;
  private observations: unknown[] = [];
  private actions: unknown[] = [];
  private rewards: unknown[] = [];
  private initialResetTimestamp: number | null = null;
  private readonly timestamps: number[] = [];
  private readonly lengths: number[] = [];
  private readonly returns: number[] = [];
  private readonly times: number[] = [];
  private writing: Promise<void> = Promise.resolve();
  private writeError: Error | null = null;
  private closed: Promise<void> | null = null;

  private constructor(private readonly options: MonitorOptions) {
    this.prefix = `${monitorCount++}.${options.instanceId}`;
    this.episodesFile = `openaigym.episodes.${this.prefix}.jsonl`;
  }

  /** Prepares the directory as old gym did (force clears it; otherwise earlier runs need resume). */
  static async start(options: MonitorOptions): Promise<EpisodeMonitor> {
    const { directory } = options;
    let existing: string[];
    try {
      await mkdir(directory, { recursive: true });
      existing = (await readdir(directory)).filter((f) => f.startsWith('openaigym.'));
      if (options.force) await Promise.all(existing.map((f) => rm(join(directory, f), { force: true, recursive: true })));
    } catch (err) {
      throw fileFailure(err, 'prepare the monitor directory');
    }
    if (!options.force && !options.resume && existing.some((f) => f.startsWith('openaigym.manifest.'))) {
      throw new PalestraError(
        'invalid_params',
        'Trying to write to a monitor directory with existing monitor files. Use a new directory for each run, force=true to clear the old files, or resume=true to add to them',
        { existing: existing.length },
      );
    }
    const monitor = new EpisodeMonitor(options);
    await writeFile(join(directory, monitor.episodesFile), '').catch((err) => {
      throw fileFailure(err, 'create the monitor files');
    });
    return monitor;
  }

  /** Where the files go, relative to the data directory. */
  relativeDirectory(dataDir: string): string {
    return relative(dataDir, this.options.directory).split('\\').join('/');
  }

  /** A reset starts an episode; one left unfinished is dropped, as RecordEpisodeStatistics does. */
  onReset(observation: unknown): void {
    this.active = true;
    this.episodeReturn = 0;
    this.episodeLength = 0;
    this.episodeStart = performance.now();
    this.initialResetTimestamp ??= unixSeconds();
    if (this.options.trajectories) {
      this.observations = [observation];
      this.actions = [];
      this.rewards = [];
    }
  }

  /** Counts a step; answers the episode's statistics when it has just ended. */
  onStep(action: unknown, observation: unknown, reward: number, done: boolean): EpisodeStatistics | null {
    // Steps before the first reset under the monitor belong to no episode it saw start.
    if (!this.active) return null;
    this.episodeReturn += reward;
    this.episodeLength += 1;
    if (this.options.trajectories) {
      this.actions.push(action);
      this.observations.push(observation);
      this.rewards.push(new PyFloat(reward));
    }
    if (!done) return null;
    const stats: EpisodeStatistics = { r: this.episodeReturn, l: this.episodeLength, t: round6((performance.now() - this.episodeStart) / 1000) };
    const timestamp = unixSeconds();
    this.timestamps.push(timestamp);
    this.returns.push(stats.r);
    this.lengths.push(stats.l);
    this.times.push(stats.t);
    const line: Record<string, unknown> = {
      episode: { r: new PyFloat(stats.r), l: stats.l, t: new PyFloat(stats.t) },
      timestamp: new PyFloat(timestamp),
    };
    if (this.options.trajectories) {
      Object.assign(line, { observations: this.observations, actions: this.actions, rewards: this.rewards });
      this.observations = [observation];
      this.actions = [];
      this.rewards = [];
    }
    this.append(pyJSON(line));
    // Gymnasium restarts the clock when an episode ends, not only on reset.
    this.episodeStart = performance.now();
    return stats;
  }

  /** Episodes finished so far. */
  get episodes(): number {
    return this.lengths.length;
  }

  private append(line: string): void {
    const path = join(this.options.directory, this.episodesFile);
    this.writing = this.writing.then(() => appendFile(path, `${line}\n`)).catch((err: Error) => {
      this.writeError ??= err;
    });
  }

  /** Flushes the episodes and writes the stats and manifest; safe to call twice. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      await this.writing;
      const { directory, envId, version } = this.options;
      const statsFile = `openaigym.episode_batch.${this.prefix}.stats.json`;
      const stats = {
        initial_reset_timestamp: this.initialResetTimestamp === null ? null : new PyFloat(this.initialResetTimestamp),
        timestamps: this.timestamps.map((x) => new PyFloat(x)),
        episode_lengths: this.lengths,
        episode_rewards: this.returns.map((x) => new PyFloat(x)),
        episode_types: this.lengths.map(() => 't'),
        episode_times: this.times.map((x) => new PyFloat(x)),
      };
      const manifest = {
        stats: statsFile,
        episodes: this.episodesFile,
        videos: [],
        env_info: { env_id: envId, palestra_version: version },
      };
      try {
        await writeFile(join(directory, statsFile), pyJSON(stats));
        await writeFile(join(directory, `openaigym.manifest.${this.prefix}.manifest.json`), pyJSON(manifest));
      } catch (err) {
        this.writeError ??= err as Error;
      }
      if (this.writeError) throw fileFailure(this.writeError, 'write the monitor files');
    })();
    return this.closed;
  }
}
