/**
 * The environments made over REST: one API session apart from every WebSocket
 * connection's, named by 8 hex characters as gym-http-api named them, capped in
 * number, and closed once unused for `restIdleSeconds`, so a client that goes
 * away without closing cannot fill the server.
 */
import { randomBytes } from 'node:crypto';
import type { MethodContext, ServerState } from '../api/context';
import { MadeEnv, close, make } from '../api/env';
import { LOCAL_USER, Principal, mayAccess } from '../api/principal';
import { Session, endSession, openSession } from '../api/sessions';
import type { Seed } from '../envs/utils/seeding';
import { PalestraError } from '../errors';
import type { EpisodeMonitor } from './monitor';

/** One REST environment. */
export interface RestInstance {
  /** What `make` answered: id, env id and spaces. */
  readonly made: MadeEnv;
  /** When a request last named it (ms since the epoch). */
  lastUsed: number;
  monitor: EpisodeMonitor | null;
  /** The name of the key that made it; other users see no such environment. */
  readonly owner: string;
}

/** The REST environments of one server. */
export class RestInstances {
  /** The context REST calls the API with: its own session, no pushed frames. */
  readonly ctx: MethodContext;
  private readonly session: Session;
  private readonly records = new Map<string, RestInstance>();
  private readonly timer: NodeJS.Timeout | null = null;

  constructor(private readonly server: ServerState) {
    this.session = openSession(server, {
      id: 'rest',
      maxEnvs: server.options.restMaxEnvs,
      newInstanceId: () => randomBytes(4).toString('hex'),
    });
    this.ctx = { server, session: this.session, push: false };
    const idleMs = server.options.restIdleSeconds * 1000;
    if (idleMs > 0) {
      // Checked often enough that nothing outlives its idle time by more than half of it.
      this.timer = setInterval(() => this.sweep(), Math.min(Math.max(idleMs / 2, 10), 30_000));
      this.timer.unref();
    }
  }

  get size(): number {
    return this.records.size;
  }

  /** Makes an environment through the API's `make`, as over WebSocket. */
  create(env_id: string, seed?: Seed, kwargs?: Record<string, unknown>, principal: Principal = LOCAL_USER): RestInstance {
    const cap = this.server.options.restMaxEnvs;
    if (this.records.size >= cap) {
      throw new PalestraError(
        'too_many_envs',
        `The server already holds ${cap} environments made over REST (the limit); close one with POST /v1/envs/{instance_id}/close/`,
        { limit: cap },
      );
    }
    const made = make(this.ctx, { env_id, seed, kwargs }) as MadeEnv;
    const record: RestInstance = { made, lastUsed: Date.now(), monitor: null, owner: principal.name };
    this.records.set(made.instance_id, record);
    return record;
  }

  /** The environment with that id, marked as used; 404 in gym-http-api's words otherwise, and for another user's. */
  get(instance_id: string, principal: Principal = LOCAL_USER): RestInstance {
    const record = this.records.get(instance_id);
    if (!record || !mayAccess(principal, record.owner)) {
      throw new PalestraError('instance_not_found', `Instance_id ${instance_id} unknown (never made, closed, or closed after being idle)`, {
        instance_id,
      });
    }
    record.lastUsed = Date.now();
    return record;
  }

  /** `{instance_id: env_id}` for every REST environment the caller may see. */
  list(principal: Principal = LOCAL_USER): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [id, record] of this.records) if (mayAccess(principal, record.owner)) out[id] = record.made.env_id;
    return out;
  }

  /** Closes an environment and finishes its monitor. */
  async close(record: RestInstance): Promise<void> {
    const id = record.made.instance_id;
    if (this.records.get(id) !== record) return;
    this.records.delete(id);
    close(this.ctx, { instance_id: id });
    const monitor = record.monitor;
    record.monitor = null;
    await monitor?.close();
  }

  /** Closes every environment unused for longer than the idle time. */
  sweep(now = Date.now()): void {
    const idleMs = this.server.options.restIdleSeconds * 1000;
    if (!(idleMs > 0)) return;
    for (const record of [...this.records.values()]) {
      if (now - record.lastUsed < idleMs) continue;
      const { instance_id, env_id } = record.made;
      this.server.logger.info({ instance_id, env_id, idle_s: (now - record.lastUsed) / 1000 }, 'REST environment closed after being idle');
      this.close(record).catch((err) => this.server.logger.error({ err, instance_id }, 'REST monitor failed on idle close'));
    }
  }

  /** Stops the idle timer, closes everything and ends the session (the server is stopping). */
  async closeAll(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const closing = [...this.records.values()].map((r) =>
      this.close(r).catch((err) => this.server.logger.error({ err, instance_id: r.made.instance_id }, 'REST monitor failed on shutdown')),
    );
    await Promise.all(closing);
    endSession(this.server, this.session);
  }
}
