/**
 * JSON-RPC 2.0 over one WebSocket: ids, many calls in flight, timeouts,
 * notifications, and failing every waiting call when the socket goes.
 * Works with the browser's WebSocket and with the `ws` package in Node.
 */
import { decodeFrame, encodeFrame, isBinaryFrame } from './binary.js';
import { ConnectionClosedError, PalestraClientError, RpcError, TimeoutError } from './errors.js';

/** The part of the WebSocket interface this library uses (the browser's and `ws`'s both have it). */
export interface SocketLike {
  readonly readyState: number;
  /** Set to `arraybuffer` so binary frames arrive as ArrayBuffers, in browsers and under `ws` alike. */
  binaryType?: string;
  send(data: string | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** A WebSocket constructor: the browser's `WebSocket`, or `ws`'s default export. */
export type WebSocketConstructor = new (url: string) => SocketLike;

/** How and why the connection ended. */
export interface CloseInfo {
  code: number;
  reason: string;
  /** True when this side closed it with `close()`. */
  byClient: boolean;
}

/** Per-call options. */
export interface CallOptions {
  /** Milliseconds to wait for the answer; 0 waits for ever. Defaults to the connection's `timeout`. */
  timeout?: number;
}

interface Pending {
  method: string;
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout> | null;
}

const OPEN = 1;

/** Finds a WebSocket: `ws` under Node (whose global one is missing before Node 22), the global one elsewhere. */
export async function defaultWebSocket(): Promise<WebSocketConstructor> {
  const process = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (process?.versions?.node) {
    // A variable specifier keeps browser bundlers from trying to bundle `ws`.
    const specifier = 'ws';
    try {
      const mod = await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
      return (mod.WebSocket ?? mod.default) as WebSocketConstructor;
    } catch {
      // Fall through to a global WebSocket (Node 22 and later have one).
    }
  }
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (typeof global === 'function') return global;
  throw new PalestraClientError('No WebSocket implementation: install the `ws` package, or pass `WebSocket` in the options');
}

/** Opens a socket; resolves once it is open, rejects with ConnectionClosedError if it cannot be. */
export function openSocket(Ctor: WebSocketConstructor, url: string, timeoutMs: number): Promise<SocketLike> {
  return new Promise((resolve, reject) => {
    let socket: SocketLike;
    try {
      socket = new Ctor(url);
    } catch (err) {
      reject(new ConnectionClosedError(`Cannot connect to ${url}: ${(err as Error).message}`));
      return;
    }
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            settle();
            socket.close();
            reject(new ConnectionClosedError(`Cannot connect to ${url}: no answer within ${timeoutMs} ms`));
          }, timeoutMs)
        : null;
    const settle = () => {
      if (timer) clearTimeout(timer);
      socket.onopen = socket.onerror = socket.onclose = null;
    };
    socket.onopen = () => {
      settle();
      resolve(socket);
    };
    // Browsers give no detail on a failed handshake; `ws` gives an Error in `event.error`/`event.message`.
    let detail = '';
    socket.onerror = (event) => {
      const e = event as { message?: string; error?: { message?: string } };
      detail = e?.error?.message ?? e?.message ?? '';
    };
    socket.onclose = (event) => {
      settle();
      // 1006 with no detail is all a browser says about a refused or unreachable server.
      const why = detail || event.reason || (event.code === 1006 ? 'no server answered' : `closed with code ${event.code}`);
      reject(new ConnectionClosedError(`Cannot connect to ${url}: ${why}`, event.code, event.reason));
    };
  });
}

/** One JSON-RPC session over an open socket. */
export class RpcSession {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(params: unknown) => void>>();
  private readonly closeListeners = new Set<(info: CloseInfo) => void>();
  private closeInfo: CloseInfo | null = null;
  private closingByClient = false;
  /** Resolves when the socket has closed, for whatever reason. */
  readonly closed: Promise<CloseInfo>;

  constructor(
    private readonly socket: SocketLike,
    readonly url: string,
    /** The default call timeout in ms; 0 waits for ever. */
    readonly timeout: number,
  ) {
    let markClosed!: (info: CloseInfo) => void;
    this.closed = new Promise((resolve) => (markClosed = resolve));
    if ('binaryType' in socket) socket.binaryType = 'arraybuffer';
    socket.onmessage = (event) => this.receive(event.data);
    socket.onerror = () => {
      // Errors are always followed by a close event, which does the work.
    };
    socket.onclose = (event) => {
      const info: CloseInfo = { code: event.code, reason: event.reason ?? '', byClient: this.closingByClient };
      this.closeInfo = info;
      this.failAll(info);
      for (const listener of this.closeListeners) listener(info);
      markClosed(info);
    };
  }

  /** True while calls can be made. */
  get open(): boolean {
    return this.closeInfo === null && this.socket.readyState === OPEN && !this.closingByClient;
  }

  /** Calls a method and resolves its result; rejects with RpcError, TimeoutError or ConnectionClosedError. */
  call(method: string, params?: unknown, options: CallOptions = {}): Promise<unknown> {
    return this.request(method, params, options, false);
  }

  /** Calls a method sending the request as a binary frame: its typed arrays and ArrayViews travel as raw bytes. */
  callBinary(method: string, params?: unknown, options: CallOptions = {}): Promise<unknown> {
    return this.request(method, params, options, true);
  }

  private request(method: string, params: unknown, options: CallOptions, binary: boolean): Promise<unknown> {
    if (!this.open) return Promise.reject(this.closedError(method));
    const id = this.nextId++;
    const timeoutMs = options.timeout ?? this.timeout;
    return new Promise((resolve, reject) => {
      const entry: Pending = { method, resolve, reject, timer: null };
      if (timeoutMs > 0) {
        entry.timer = setTimeout(() => {
          this.pending.delete(id);
          reject(new TimeoutError(method, timeoutMs));
        }, timeoutMs);
      }
      this.pending.set(id, entry);
      const message: Record<string, unknown> = { jsonrpc: '2.0', id, method };
      if (params !== undefined) message.params = params;
      try {
        this.socket.send(binary ? encodeFrame(message) : JSON.stringify(message));
      } catch (err) {
        this.settle(id);
        reject(new ConnectionClosedError(`Cannot send ${method}: ${(err as Error).message}`));
      }
    });
  }

  /** Listens to a notification (`train.progress`, …); answers a function that stops listening. */
  on(method: string, listener: (params: unknown) => void): () => void {
    let set = this.listeners.get(method);
    if (!set) this.listeners.set(method, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Listens for the connection closing; answers a function that stops listening. */
  onClose(listener: (info: CloseInfo) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Closes the socket; calls still waiting reject with ConnectionClosedError. */
  close(code = 1000, reason = 'client closed'): Promise<CloseInfo> {
    if (!this.closeInfo && !this.closingByClient) {
      this.closingByClient = true;
      this.failAll({ code, reason, byClient: true });
      try {
        this.socket.close(code, reason);
      } catch {
        // Already closing.
      }
    }
    return this.closed;
  }

  /** How many calls are waiting for an answer. */
  get inFlight(): number {
    return this.pending.size;
  }

  private receive(data: unknown): void {
    let message: unknown;
    try {
      if (typeof data === 'string') message = JSON.parse(data);
      else if (isBinaryFrame(data as ArrayBuffer)) message = decodeFrame(data as ArrayBuffer);
      else message = JSON.parse(new TextDecoder().decode(data as ArrayBuffer));
    } catch {
      return;
    }
    for (const m of Array.isArray(message) ? message : [message]) this.dispatch(m);
  }

  private dispatch(message: unknown): void {
    if (!message || typeof message !== 'object') return;
    const m = message as { id?: unknown; method?: unknown; params?: unknown; result?: unknown; error?: { code: number; message: string; data?: unknown } };
    if (typeof m.method === 'string' && m.id === undefined) {
      for (const listener of [...(this.listeners.get(m.method) ?? [])]) {
        try {
          listener(m.params);
        } catch {
          // A listener's bug must not break the session.
        }
      }
      return;
    }
    if (typeof m.id !== 'number') return;
    const entry = this.settle(m.id);
    if (!entry) return;
    if (m.error) entry.reject(new RpcError(entry.method, m.error));
    else entry.resolve(m.result);
  }

  private settle(id: number): Pending | undefined {
    const entry = this.pending.get(id);
    if (!entry) return undefined;
    this.pending.delete(id);
    if (entry.timer) clearTimeout(entry.timer);
    return entry;
  }

  private closedError(method: string, info = this.closeInfo): ConnectionClosedError {
    if (this.closingByClient || info?.byClient) return new ConnectionClosedError(`${method}: the client was closed`, info?.code, info?.reason);
    const how = info ? ` (code ${info.code}${info.reason ? `: ${info.reason}` : ''})` : '';
    return new ConnectionClosedError(`${method}: the connection to ${this.url} was lost${how}`, info?.code, info?.reason);
  }

  private failAll(info: CloseInfo): void {
    for (const [id, entry] of [...this.pending]) {
      this.settle(id);
      const how = info.byClient ? 'the client was closed' : `the connection to ${this.url} was lost (code ${info.code}${info.reason ? `: ${info.reason}` : ''})`;
      entry.reject(new ConnectionClosedError(`${entry.method} got no answer: ${how}`, info.code, info.reason));
    }
  }
}
