/**
 * The session store: environment instances belong to a session (a socket
 * connection, the REST client, a test) and are found through it. A transport
 * opens a session when a client arrives and ends it when the client goes;
 * ending closes every environment the session still holds.
 */
import { v4 as uuidv4 } from 'uuid';
import type { ServerState } from './context';
import type { EnvInstance } from './instances';
import type { Encoding, VectorInstance } from './vector_instances';
import { LOCAL_USER, Principal } from './principal';

// Closed ids are remembered so a second `close` answers true, as Gymnasium allows;
// only the most recent ones, so a client cannot grow the set without end.
const MAX_CLOSED_IDS = 1024;

/** How a session is opened. */
export interface SessionOptions {
  /** Shown in logs. */
  id?: string;
  /** Most environments the session may hold at once (the server's per-connection limit by default). */
  maxEnvs?: number;
  /** Where pushed frames go (training progress); sessions without one receive none. */
  push?: (method: string, params: unknown) => void;
  /** Makes instance ids (32 hex characters by default). */
  newInstanceId?: () => string;
  /** What the caller's transport can do (framings, batches, pushed frames), as `hello` reports it. */
  capabilities?: readonly string[];
  /** Who the caller is: owns the jobs and models the session makes (the local user without keys). */
  principal?: Principal;
}

/** One caller's environments, and where its pushed frames go. */
export class Session {
  readonly id: string;
  /** Live environments, by instance id. */
  readonly envs = new Map<string, EnvInstance>();
  /** Live vector environments, by instance id (each counts as one toward `maxEnvs`). */
  readonly vectors = new Map<string, VectorInstance>();
  /** How replies on vector instances travel unless `make_vec` names an encoding (set by `hello`). */
  encoding: Encoding = 'json';
  readonly maxEnvs: number;
  readonly capabilities: readonly string[];
  readonly principal: Principal;
  private readonly closedIds = new Set<string>();
  private readonly push: ((method: string, params: unknown) => void) | undefined;
  private readonly makeId: () => string;
  private ended = false;

  constructor(options: SessionOptions & { maxEnvs: number }) {
    this.id = options.id ?? uuidv4();
    this.maxEnvs = options.maxEnvs;
    this.capabilities = options.capabilities ?? [];
    this.principal = options.principal ?? LOCAL_USER;
    this.push = options.push;
    this.makeId = options.newInstanceId ?? (() => uuidv4().replace(/-/g, ''));
  }

  /** False once the session has ended. */
  get open(): boolean {
    return !this.ended;
  }

  /** Pushes a frame to the caller (dropped once the session has ended or when it takes none). */
  notify(method: string, params: unknown): void {
    if (!this.ended && this.push) this.push(method, params);
  }

  /** A fresh instance id, unused in this session. */
  newInstanceId(): string {
    let id: string;
    do id = this.makeId();
    while (this.envs.has(id) || this.vectors.has(id) || this.closedIds.has(id));
    return id;
  }

  /** Remembers that an instance of this session was closed. */
  markClosed(instance_id: string): void {
    this.closedIds.add(instance_id);
    if (this.closedIds.size > MAX_CLOSED_IDS) this.closedIds.delete(this.closedIds.values().next().value as string);
  }

  /** Whether an instance of this session was closed (recently enough to be remembered). */
  wasClosed(instance_id: string): boolean {
    return this.closedIds.has(instance_id);
  }

  /** Instances held, for the per-connection limit: a vector environment counts as one. */
  get instanceCount(): number {
    return this.envs.size + this.vectors.size;
  }

  /** Environments held, for the server-wide limit: a vector environment counts as its copies. */
  get envCopies(): number {
    let n = this.envs.size;
    for (const v of this.vectors.values()) n += v.num_envs;
    return n;
  }

  /** Marks the session ended; answers what it still held (environments and vector environments alike close). */
  end(): { close(): void; id: string }[] {
    this.ended = true;
    const left = [...[...this.envs.values()].map((i) => ({ id: i.id, close: () => i.env.close() })), ...[...this.vectors.values()].map((v) => ({ id: v.id, close: () => v.envs.close() }))];
    this.envs.clear();
    this.vectors.clear();
    this.closedIds.clear();
    return left;
  }
}

/** Every open session of one server. */
export class SessionStore {
  private readonly sessions = new Set<Session>();

  constructor(private readonly server: ServerState) {}

  /** Opens a session. */
  open(options: SessionOptions = {}): Session {
    const session = new Session({ ...options, maxEnvs: options.maxEnvs ?? this.server.options.maxEnvsPerConnection });
    this.sessions.add(session);
    return session;
  }

  /** Ends a session and closes the environments it still holds. */
  end(session: Session): void {
    if (!this.sessions.delete(session)) return;
    for (const instance of session.end()) {
      try {
        instance.close();
      } catch (err) {
        this.server.logger.warn({ err, instance_id: instance.id }, 'environment close failed');
      }
    }
  }

  /** Live environments across every session (each copy of a vector environment counts). */
  envCount(): number {
    let n = 0;
    for (const s of this.sessions) n += s.envCopies;
    return n;
  }
}

const stores = new WeakMap<ServerState, SessionStore>();

/** The session store of a server (made on first use). */
export function sessionsOf(server: ServerState): SessionStore {
  let store = stores.get(server);
  if (!store) {
    store = new SessionStore(server);
    stores.set(server, store);
  }
  return store;
}

/** Opens a session on a server. */
export function openSession(server: ServerState, options: SessionOptions = {}): Session {
  return sessionsOf(server).open(options);
}

/** Ends a session, closing its environments. */
export function endSession(server: ServerState, session: Session): void {
  sessionsOf(server).end(session);
}
