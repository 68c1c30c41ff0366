/** Test servers on 127.0.0.1 with a free port, and small clients that speak each framing. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { start, PalestraServer, StartOptions } from '../../src';
import { protocol } from '../../src/server/protocol';

/** Starts a quiet server on 127.0.0.1, on a free port, with its own data directory. */
export function startTestServer(options: StartOptions = {}): Promise<PalestraServer> {
  return start({
    host: '127.0.0.1',
    port: 0,
    logLevel: 'silent',
    dataDir: mkdtempSync(join(tmpdir(), 'palestra-test-')),
    ...options,
  });
}

/** Resolves when the socket is open. */
export function opened(ws: WebSocket): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** A JSON-RPC error as the server sent it. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejection<E = Error>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (e) {
    return e as E;
  }
  throw new Error('expected the call to fail');
}

/** A JSON-RPC client that checks every result against the method's schema in protocol/. */
export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number | string, { method: string; resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  readonly notifications: { method: string; params: any }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (Array.isArray(message)) return;
      if ('method' in message && !('id' in message)) {
        this.notifications.push(message);
        return;
      }
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.error) {
        waiter.reject(new RpcError(message.error.code, message.error.message, message.error.data));
        return;
      }
      const problems = protocol().checkResult(waiter.method, message.result);
      if (problems.length) waiter.reject(new Error(`${waiter.method} result breaks its schema: ${problems.join('; ')}`));
      else waiter.resolve(message.result);
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static async connect(url: string): Promise<RpcClient> {
    return new RpcClient(await opened(new WebSocket(url)));
  }

  /** Calls a method; resolves its (schema-checked) result or rejects with an RpcError. */
  call<T = any>(method: string, params?: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject });
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  /** Sends raw text and resolves the next message, parsed. */
  raw(text: string): Promise<any> {
    return new Promise((resolve) => {
      this.ws.once('message', (data) => resolve(JSON.parse(data.toString())));
      this.ws.send(text);
    });
  }

  /** Closes the socket; resolves once the server has seen it go. */
  close(): Promise<{ code: number; reason: string }> {
    this.ws.close();
    return this.closed;
  }
}

/** A client that speaks Gymie's framing: no ids, bare replies, errors close the socket. */
export class GymieClient {
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static async connect(url: string): Promise<GymieClient> {
    return new GymieClient(await opened(new WebSocket(`${url}/gym`)));
  }

  /** Sends `{method, params}` and resolves the reply text as sent. */
  sendText(text: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const onClose = (code: number, reason: Buffer) => reject(new Error(`closed ${code}: ${reason.toString()}`));
      this.ws.once('close', onClose);
      this.ws.once('message', (data) => {
        this.ws.off('close', onClose);
        resolve(data.toString());
      });
      this.ws.send(text);
    });
  }

  /** Sends a Gymie request and resolves the reply text, after checking it against the method's schema. */
  async request(method: string, params: Record<string, unknown>): Promise<string> {
    const text = await this.sendText(JSON.stringify({ method, params }));
    // make answers bare text; every other reply is JSON.
    const problems = protocol().checkGymieResult(method, method === 'make' ? text : JSON.parse(text));
    if (problems.length) throw new Error(`Gymie ${method} reply breaks its schema: ${problems.join('; ')}`);
    return text;
  }

  /** Sends a request and resolves how the server closed the socket. */
  async expectClose(text: string): Promise<{ code: number; reason: string }> {
    this.ws.send(text);
    return this.closed;
  }

  close(): void {
    this.ws.close();
  }
}
