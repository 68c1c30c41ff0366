/**
 * One WebSocket client: reads each message, tells Gymie's framing from
 * JSON-RPC's by the message itself, dispatches to the API within the
 * client's session, and writes the reply in the framing that asked.
 * Every limit on what a client may send or be sent is checked here, before
 * any method runs: size in bytes, nesting depth, batch length, reply size.
 * Whatever fails while one message is handled answers that message alone.
 */
import type { WebSocket } from 'ws';
import type { Connection, MethodContext, ServerState } from '../api/context';
import { LOCAL_USER, Principal } from '../api/principal';
import { Session, endSession, openSession } from '../api/sessions';
import { PalestraError, asPalestraError } from '../errors';
import { dispatch } from './dispatch';
import type { IdleWatch } from './idle';
import { decodeFrame, isBinaryFrame, readHeader, resultFrame } from './framing/binary_frame';
import { nestsDeeperThan } from './framing/depth';
import * as gymie from './framing/gymie';
import { Id, batchText, errorText, idOf, notificationText, readRequest, resultText } from './framing/jsonrpc';
import { Outbox } from './outbox';
import { ReplyBudget } from './reply_budget';

/** What this transport can do, as `hello` reports it. */
const CAPABILITIES = ['gymie', 'jsonrpc', 'batch', 'notifications', 'vector', 'binary_frames'];

/** Methods whose replies travel as binary frames when they name a vector instance whose encoding is binary. */
const FRAMED = new Set(['reset', 'step', 'action_sample']);

/** A reply: JSON text, or a binary frame. */
type Reply = string | Buffer;

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
  private readonly outbox: Outbox;

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
    const { maxBufferedBytes, slowClientSeconds } = server.options;
    this.outbox = new Outbox(socket, { maxBufferedBytes, slowClientMs: slowClientSeconds * 1000 }, () => this.tooSlow());
    this.session = openSession(server, {
      id,
      capabilities: CAPABILITIES,
      principal,
      push: (method, params) => {
        if (!this.open) return;
        if (this.idle) this.idle.active = true;
        this.outbox.push(method, params, () => notificationText(method, params));
      },
    });
    // Gymie matches replies by order and has no place for pushed frames.
    this.jsonrpcCtx = { server, session: this.session, push: true, vectors: true };
    this.gymieCtx = { server, session: this.session, push: false };
  }

  /**
   * Handles one message from the client (the frame's bytes). Nothing thrown
   * while handling it escapes: the message is answered with internal_error
   * (a Gymie socket is closed with 1011) and the server carries on.
   */
  onMessage(data: Buffer): void {
    // Requests read after the socket was closed (a slow client's, read while its close completes) are not run.
    if (!this.open) return;
    try {
      this.read(data);
    } catch (err) {
      this.failed(err);
    }
  }

  private read(data: Buffer): void {
    const { maxMessageBytes, maxMessageDepth } = this.server.options;
    if (data.length > maxMessageBytes) return this.refuse(new PalestraError('message_too_large', `Message of ${data.length} bytes exceeds the limit of ${maxMessageBytes} bytes`, { limit: maxMessageBytes }));
    if (isBinaryFrame(data)) return this.readFrame(data);
    const text = data.toString('utf8');
    if (nestsDeeperThan(text, maxMessageDepth)) {
      return this.refuse(new PalestraError('message_too_deep', `Message nests deeper than the limit of ${maxMessageDepth} levels`, { limit: maxMessageDepth }));
    }
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
      return this.onSingle(message);
    }
    this.speaksGymie = true;
    const next = () => this.onGymie(message, text);
    if (this.gymieQueue) {
      const queued = this.guarded(this.gymieQueue.then(next));
      this.gymieQueue = queued;
      queued.then(() => {
        if (this.gymieQueue === queued) this.gymieQueue = null;
      });
    } else {
      const pending = next();
      if (pending) {
        const guarded = this.guarded(pending);
        this.gymieQueue = guarded;
        guarded.then(() => {
          if (this.gymieQueue === guarded) this.gymieQueue = null;
        });
      }
    }
  }

  /** A binary frame (protocol/binary-frames.md): always JSON-RPC, a request or a batch. */
  private readFrame(data: Buffer): void {
    this.speaksGymie = false;
    const { maxMessageDepth } = this.server.options;
    let message: unknown;
    try {
      const header = readHeader(data);
      if (nestsDeeperThan(header.json, maxMessageDepth)) {
        return this.refuse(new PalestraError('message_too_deep', `Message nests deeper than the limit of ${maxMessageDepth} levels`, { limit: maxMessageDepth }));
      }
      message = decodeFrame(data, header);
    } catch (err) {
      return this.refuse(asPalestraError(err));
    }
    if (Array.isArray(message)) return this.onBatch(message);
    this.onSingle(message);
  }

  /** One JSON-RPC request (not in a batch): its reply may be a binary frame. */
  private onSingle(message: unknown): void {
    const budget = this.replyBudget();
    const reply = this.onRequest(message, true);
    const fit = (r: Reply) => (typeof r === 'string' ? budget.only(r, idOf(message)) : this.frameFits(r, idOf(message)));
    if (isPromise(reply)) this.guarded(reply.then((r) => r !== null && this.send(fit(r))));
    else if (reply !== null) this.send(fit(reply));
  }

  /** A binary reply when it fits the reply limit, else the reply_too_large error for its id. */
  private frameFits(frame: Buffer, id: Id): Reply {
    const limit = this.server.options.maxReplyBytes;
    return frame.length <= limit ? frame : errorText(id, ReplyBudget.error(limit));
  }

  /** Whether a method's result goes out as a binary frame: it names a vector instance whose encoding is binary. */
  private framed(method: string, params: unknown): boolean {
    if (!FRAMED.has(method) || params === null || typeof params !== 'object') return false;
    const id = Array.isArray(params) ? params[0] : (params as { instance_id?: unknown }).instance_id;
    return typeof id === 'string' && this.session.vectors.get(id)?.encoding === 'binary';
  }

  /** A message refused before it was parsed: an error reply, or Gymie's close. */
  private refuse(error: PalestraError): void {
    this.server.logger.info({ connection: this.id, code: error.code, error: error.message }, 'message refused');
    if (this.speaksGymie) return this.close({ code: error.entry.gymie_close, reason: gymie.fitReason(error.message) });
    this.send(errorText(null, error));
  }

  /** The last resort: something failed outside any method's own error handling. */
  private failed(err: unknown): void {
    this.server.logger.error({ connection: this.id, err }, 'message handling failed');
    const error = asPalestraError(err);
    try {
      if (this.speaksGymie) this.close({ code: 1011, reason: gymie.fitReason(error.message) });
      else this.send(errorText(null, error));
    } catch {
      // The socket itself is failing: its close event ends the session.
    }
  }

  /** A promise whose failure is answered as `failed` answers it, never left unhandled. */
  private guarded(p: Promise<unknown>): Promise<void> {
    return p.then(
      () => undefined,
      (err) => this.failed(err),
    );
  }

  /** A fresh budget of reply bytes for one message (a batch shares one). */
  private replyBudget(): ReplyBudget {
    return new ReplyBudget(this.server.options.maxReplyBytes);
  }

  /** A JSON-RPC request: its reply (a binary frame only when `frames` allows), null for a notification, or a promise of one. */
  private onRequest(message: unknown, frames = false): Reply | null | Promise<Reply | null> {
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
    const framed = frames && !isNotification && this.framed(request.method, request.params);
    if (isPromise(result)) {
      return result.then(
        (value) => (isNotification ? null : framed ? this.frameOf(id, value) : this.resultOf(id, value)),
        (err) => (isNotification ? null : this.errorOf(id, err, request.method)),
      );
    }
    if (isNotification) return null;
    return framed ? this.frameOf(id, result) : this.resultOf(id, result);
  }

  /** A result as a binary frame; internal_error (as text) when it fails to encode. */
  private frameOf(id: Id, result: unknown): Reply {
    try {
      return resultFrame(id, result);
    } catch (err) {
      this.server.logger.error({ connection: this.id, err }, 'binary reply failed to encode');
      return errorText(id, asPalestraError(err));
    }
  }

  /**
   * A result's reply text. A result too large to be written at all (past the
   * engine's string limit) is reply_too_large; one that fails to encode (a
   * hook's value that throws when read) is internal_error, for this request alone.
   */
  private resultOf(id: Id, result: unknown): string {
    try {
      return resultText(id, result);
    } catch (err) {
      if (err instanceof RangeError && /string length/i.test(err.message)) return errorText(id, ReplyBudget.error(this.server.options.maxReplyBytes));
      this.server.logger.error({ connection: this.id, err }, 'reply failed to encode');
      return errorText(id, asPalestraError(err));
    }
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
    const { maxBatchLength } = this.server.options;
    if (messages.length > maxBatchLength) {
      const error = new PalestraError('batch_too_large', `A batch of ${messages.length} requests exceeds the limit of ${maxBatchLength}`, { limit: maxBatchLength });
      return this.send(errorText(null, error));
    }
    // Each reply is measured as it is made, so what is kept never exceeds the budget.
    const budget = this.replyBudget();
    // A batch is answered as one JSON text, so its replies are never binary frames.
    const replies = messages.map((m) => {
      const reply = this.onRequest(m) as string | null | Promise<string | null>;
      if (isPromise(reply)) return reply.then((r) => (r === null ? null : budget.take(r, idOf(m))));
      return reply === null ? null : budget.take(reply, idOf(m));
    });
    const finish = (done: (string | null)[]) => {
      const text = batchText(done);
      if (text !== null) this.send(text);
    };
    if (replies.some(isPromise)) this.guarded(Promise.all(replies).then(finish));
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
      const reply = (value: unknown) => {
        const text = gymie.replyText(method, value);
        if (!this.replyBudget().fits(text)) throw ReplyBudget.error(this.server.options.maxReplyBytes);
        this.send(text);
      };
      const result = dispatch(this.gymieCtx, method, params);
      if (isPromise(result)) return result.then(reply).catch(fail);
      reply(result);
    } catch (err) {
      fail(err);
    }
  }

  private send(reply: Reply): void {
    if (this.open) this.outbox.send(reply);
  }

  private close(close: gymie.Close): void {
    if (!this.open) return;
    this.open = false;
    this.socket.close(close.code, close.reason);
  }

  /** The client left its replies unread too long: closed with client_too_slow's code (1013). */
  private tooSlow(): void {
    const error = new PalestraError('client_too_slow', 'Closed: replies waited unread past the bound for too long');
    this.server.logger.warn({ connection: this.id, buffered: this.socket.bufferedAmount }, 'slow client closed');
    this.close({ code: error.entry.gymie_close, reason: error.message });
    // Read again, so the client's answering close frame completes the handshake.
    this.socket.resume();
  }

  /** Ends the client's session (closing its environments); called once when the socket has gone. */
  dispose(): void {
    this.open = false;
    this.outbox.dispose();
    endSession(this.server, this.session);
  }
}
