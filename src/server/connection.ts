/**
 * One WebSocket client: reads each message, tells Gymie's framing from
 * JSON-RPC's by the message itself, dispatches to the API within the
 * client's session, and writes the reply in the framing that asked.
 */
import type { WebSocket } from 'ws';
import type { Connection, MethodContext, ServerState } from '../api/context';
import { LOCAL_USER, Principal } from '../api/principal';
import { Session, endSession, openSession } from '../api/sessions';
import { PalestraError, asPalestraError } from '../errors';
import { dispatch } from './dispatch';
import type { IdleWatch } from './idle';
import * as gymie from './framing/gymie';
import { Id, batchText, errorText, idOf, notificationText, readRequest, resultText } from './framing/jsonrpc';

/** What this transport can do, as `hello` reports it. */
const CAPABILITIES = ['gymie', 'jsonrpc', 'batch', 'notifications'];

function isPromise(x: unknown): x is Promise<unknown> {
  return x instanceof Promise;
}

export class ClientConnection implements Connection {
  open = true;
  /** The API session that owns this client's environments. */
  readonly session: Session;
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
    principal: Principal = LOCAL_USER,
    /** Marked on every pushed frame, so a client that only listens to a job is not idle. */
    private readonly idle?: IdleWatch,
  ) {
    this.speaksGymie = path === '/gym';
    this.session = openSession(server, {
      id,
      capabilities: CAPABILITIES,
      principal,
      push: (method, params) => {
        if (!this.open) return;
        if (this.idle) this.idle.active = true;
        this.socket.send(notificationText(method, params));
      },
    });
    // Gymie matches replies by order and has no place for pushed frames.
    this.jsonrpcCtx = { server, session: this.session, push: true };
    this.gymieCtx = { server, session: this.session, push: false };
  }

  /** Handles one text message from the client. */
  onMessage(text: string): void {
    if (text.length > this.server.options.maxMessageBytes) return this.tooLarge(text);
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      if (this.speaksGymie) return this.close(gymie.invalidMessage(text));
      return this.send(errorText(null, new PalestraError('parse_error', 'Parse error: the message is not valid JSON')));
    }
    if (Array.isArray(message)) {
      this.speaksGymie = false;
      return this.onBatch(message);
    }
    if (message !== null && typeof message === 'object' && ('id' in message || 'jsonrpc' in message)) {
      this.speaksGymie = false;
      const reply = this.onRequest(message);
      if (isPromise(reply)) reply.then((r) => r !== null && this.send(r));
      else if (reply !== null) this.send(reply);
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
    this.send(errorText(null, error));
  }

  /** A JSON-RPC request: its reply text, null for a notification, or a promise of one. */
  private onRequest(message: unknown): string | null | Promise<string | null> {
    let request;
    try {
      request = readRequest(message);
    } catch (err) {
      return errorText(idOf(message), asPalestraError(err));
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
        (value) => (isNotification ? null : resultText(id, value)),
        (err) => (isNotification ? null : this.errorOf(id, err, request.method)),
      );
    }
    if (isNotification) return null;
    return resultText(id, result);
  }

  private errorOf(id: Id, err: unknown, method: string): string {
    const error = asPalestraError(err);
    this.server.logger.info({ connection: this.id, method, code: error.code, error: error.message }, 'request failed');
    return errorText(id, error);
  }

  private onBatch(messages: unknown[]): void {
    if (messages.length === 0) {
      return this.send(errorText(null, new PalestraError('invalid_request', 'An empty batch is not a request')));
    }
    const replies = messages.map((m) => this.onRequest(m));
    const finish = (done: (string | null)[]) => {
      const text = batchText(done);
      if (text !== null) this.send(text);
    };
    if (replies.some(isPromise)) Promise.all(replies).then(finish);
    else finish(replies as (string | null)[]);
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
      if (isPromise(result)) return result.then((value) => this.send(gymie.replyText(method, value))).catch(fail);
      this.send(gymie.replyText(method, result));
    } catch (err) {
      fail(err);
    }
  }

  private send(text: string): void {
    if (this.open) this.socket.send(text);
  }

  private close(close: gymie.Close): void {
    if (!this.open) return;
    this.open = false;
    this.socket.close(close.code, close.reason);
  }

  /** Ends the client's session (closing its environments); called once when the socket has gone. */
  dispose(): void {
    this.open = false;
    endSession(this.server, this.session);
  }
}
