/**
 * One WebSocket client: reads each message, tells Gymie's framing from
 * JSON-RPC's by the message itself, dispatches, and writes the reply.
 */
import type { WebSocket } from 'ws';
import type { Connection, MethodContext, ServerState } from '../api/context';
import { RawReply } from '../api/context';
import type { EnvInstance } from '../api/instances';
import { PalestraError, asPalestraError } from '../errors';
import { dispatch } from './dispatch';
import * as gymie from './gymie';
import { Id, errorReply, idOf, notificationText, readRequest, resultText } from './jsonrpc';

type Reply = Record<string, unknown> | null;

function isPromise(x: unknown): x is Promise<unknown> {
  return x instanceof Promise;
}

export class ClientConnection implements Connection {
  readonly envs = new Map<string, EnvInstance>();
  open = true;
  /** Framing assumed for text that is not JSON: the last one the client used. */
  private speaksGymie: boolean;
  /** Gymie replies are matched by order, so a slow Gymie request holds back the next. */
  private gymieQueue: Promise<void> | null = null;
  private readonly jsonrpcCtx: MethodContext;
  private readonly gymieCtx: MethodContext;

  constructor(
    readonly id: string,
    private readonly socket: WebSocket,
    private readonly server: ServerState,
    path: string,
  ) {
    this.speaksGymie = path === '/gym';
    this.jsonrpcCtx = { server, connection: this, gymie: false };
    this.gymieCtx = { server, connection: this, gymie: true };
  }

  notify(method: string, params: unknown): void {
    if (this.open) this.socket.send(notificationText(method, params));
  }

  /** Handles one text message from the client. */
  onMessage(text: string): void {
    if (text.length > this.server.options.maxMessageBytes) return this.tooLarge(text);
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      if (this.speaksGymie) return this.close(gymie.invalidMessage(text));
      return this.send(JSON.stringify(errorReply(null, new PalestraError('parse_error', 'Parse error: the message is not valid JSON'))));
    }
    if (Array.isArray(message)) {
      this.speaksGymie = false;
      return this.onBatch(message);
    }
    if (message !== null && typeof message === 'object' && ('id' in message || 'jsonrpc' in message)) {
      this.speaksGymie = false;
      const reply = this.onRequest(message);
      if (isPromise(reply)) reply.then((r) => r && this.send(JSON.stringify(r)));
      else if (typeof reply === 'string') this.send(reply);
      else if (reply) this.send(JSON.stringify(reply));
      return;
    }
    this.speaksGymie = true;
    if (this.gymieQueue) {
      const queued = this.gymieQueue.then(() => this.onGymie(message, text));
      this.gymieQueue = queued;
      queued.then(() => {
        if (this.gymieQueue === queued) this.gymieQueue = null;
      });
    } else {
      const pending = this.onGymie(message, text);
      if (pending) {
        this.gymieQueue = pending;
        pending.then(() => {
          if (this.gymieQueue === pending) this.gymieQueue = null;
        });
      }
    }
  }

  private tooLarge(text: string): void {
    const limit = this.server.options.maxMessageBytes;
    const error = new PalestraError('message_too_large', `Message of ${text.length} bytes exceeds the limit of ${limit} bytes`, { limit });
    if (this.speaksGymie) return this.close({ code: error.entry.gymie_close, reason: error.message });
    this.send(JSON.stringify(errorReply(null, error)));
  }

  /** A JSON-RPC request: its reply as text or object, null for a notification, or a promise of one. */
  private onRequest(message: unknown): string | Reply | Promise<Reply> {
    let request;
    try {
      request = readRequest(message);
    } catch (err) {
      return errorReply(idOf(message), asPalestraError(err));
    }
    const isNotification = !('id' in request);
    const id: Id = request.id ?? null;
    let result: unknown;
    try {
      result = dispatch(this.jsonrpcCtx, request.method, request.params);
    } catch (err) {
      return isNotification ? null : this.errorOf(id, err, request.method);
    }
    if (isPromise(result)) {
      return result.then(
        (value) => (isNotification ? null : { jsonrpc: '2.0', id, result: unwrap(value) }),
        (err) => (isNotification ? null : this.errorOf(id, err, request.method)),
      );
    }
    if (isNotification) return null;
    return resultText(id, unwrap(result));
  }

  private errorOf(id: Id, err: unknown, method: string): Record<string, unknown> {
    const error = asPalestraError(err);
    this.server.logger.info({ connection: this.id, method, code: error.code, error: error.message }, 'request failed');
    return errorReply(id, error);
  }

  private onBatch(messages: unknown[]): void {
    if (messages.length === 0) {
      return this.send(JSON.stringify(errorReply(null, new PalestraError('invalid_request', 'An empty batch is not a request'))));
    }
    const replies = messages.map((m) => {
      const reply = this.onRequest(m);
      return typeof reply === 'string' ? (JSON.parse(reply) as Reply) : reply;
    });
    const finish = (done: Reply[]) => {
      const out = done.filter((r) => r !== null);
      if (out.length > 0) this.send(JSON.stringify(out));
    };
    if (replies.some(isPromise)) Promise.all(replies).then(finish);
    else finish(replies as Reply[]);
  }

  /** A Gymie request; answers a promise only when the method is asynchronous. */
  private onGymie(message: unknown, text: string): Promise<void> | void {
    if (!this.open) return;
    if (message === null || typeof message !== 'object') return this.close(gymie.invalidMessage(text));
    const m = message as Record<string, unknown>;
    if (!('method' in m) || !('params' in m)) return this.close(gymie.missingKeys(m));
    const method = m.method;
    const params = m.params;
    const fail = (err: unknown) => {
      const error = asPalestraError(err);
      this.server.logger.info({ connection: this.id, method, code: error.code, error: error.message }, 'gymie request failed');
      this.close(gymie.closeFor(error, String(method), params));
    };
    try {
      if (typeof method !== 'string') throw new PalestraError('method_not_found', `Method ${String(method)} not found`);
      if (params === null || typeof params !== 'object' || Array.isArray(params)) {
        throw new PalestraError('invalid_params', 'Gymie params must be an object');
      }
      const result = dispatch(this.gymieCtx, method, params);
      if (isPromise(result)) return result.then((value) => this.sendGymie(value), fail);
      this.sendGymie(result);
    } catch (err) {
      fail(err);
    }
  }

  private sendGymie(result: unknown): void {
    this.send(result instanceof RawReply ? result.text : JSON.stringify(result));
  }

  private send(text: string): void {
    if (this.open) this.socket.send(text);
  }

  private close(close: gymie.Close): void {
    if (!this.open) return;
    this.open = false;
    this.socket.close(close.code, close.reason);
  }

  /** Frees everything the connection owns; called once when the socket has gone. */
  dispose(): void {
    this.open = false;
    for (const instance of this.envs.values()) {
      try {
        instance.env.close();
      } catch (err) {
        this.server.logger.warn({ err, instance_id: instance.id }, 'environment close failed');
      }
    }
    this.envs.clear();
  }
}

function unwrap(value: unknown): unknown {
  return value instanceof RawReply ? value.text : value;
}
