/**
 * Every HTTP error as a catalogue error: Fastify's own errors (a body too
 * large, a media type it does not read, a bad URL) get catalogue names, and
 * every error answers the JSON `{message, code, name, data?}` with the
 * catalogue's `http_status`, in one place.
 */
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { PalestraError, asPalestraError } from '../errors';
import { redactUrl } from './security/api_keys';

/** The JSON body of an error: a `message` (what gym-http-api's clients read) beside the catalogue's `code` and `name`. */
export function errorBody(err: PalestraError): Record<string, unknown> {
  const body: Record<string, unknown> = { message: err.message, code: err.code, name: err.errorName };
  if (Object.keys(err.data).length > 0) body.data = err.data;
  return body;
}

/** The refusal of a body that is not declared as JSON. */
export function unsupportedMediaType(contentType: string | undefined): PalestraError {
  return new PalestraError(
    'unsupported_media_type',
    contentType === undefined
      ? 'A request with a body must say Content-Type: application/json'
      : `Content-Type ${JSON.stringify(contentType)} is not accepted; send the body as JSON with Content-Type: application/json`,
    { content_type: contentType ?? null },
  );
}

/** Turns what a route, a hook or Fastify itself threw into a catalogue error. */
export function httpError(err: unknown, request: FastifyRequest): PalestraError {
  if (err instanceof PalestraError) return err;
  const fastifyError = err as Partial<FastifyError> | null;
  const limit = request.server.palestra.options.maxMessageBytes;
  switch (fastifyError?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PalestraError('message_too_large', `The request body is larger than the limit of ${limit} bytes`, { limit });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return unsupportedMediaType(request.headers['content-type']);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new PalestraError('invalid_request', 'The request body does not have the length its Content-Length header says');
    case 'FST_ERR_BAD_URL':
      return new PalestraError('invalid_request', `The path ${request.url.split('?')[0]} is not validly percent-encoded`);
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new PalestraError('invalid_request', 'A part of the path is longer than the server reads');
  }
  if (fastifyError?.validation) {
    return new PalestraError('invalid_params', fastifyError.message ?? 'The request does not match its schema', { errors: fastifyError.validation });
  }
  // Anything else Fastify refuses on the client's account (an aborted body, a malformed header).
  const status = fastifyError?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new PalestraError('invalid_request', fastifyError?.message ?? 'The request is not valid');
  }
  return asPalestraError(err);
}

/** Logs an error reply: the server's own failures as errors, the client's as information. */
export function logHttpError(request: FastifyRequest, error: PalestraError, cause: unknown): void {
  const status = error.entry.http_status;
  // A key may travel in the query; it never reaches a log line.
  const fields = { method: request.method, url: redactUrl(request.url), status, error: error.errorName };
  if (status >= 500) request.server.palestra.logger.error({ ...fields, err: cause }, error.message);
  else request.server.palestra.logger.info(fields, error.message);
}

/**
 * Sends an error with its catalogue status; `serialize` writes the body (REST
 * writes it as gym-http-api's server did). A 405 carries `Allow`.
 */
export function sendError(reply: FastifyReply, error: PalestraError, serialize: (body: unknown) => string = JSON.stringify, type = 'application/json; charset=utf-8'): FastifyReply {
  const allow = error.data.allow;
  if (typeof allow === 'string') reply.header('allow', allow);
  return reply.code(error.entry.http_status).type(type).send(serialize(errorBody(error)));
}

/** The error handler for a scope: maps, logs and sends. */
export function errorHandler(serialize?: (body: unknown) => string, type?: string) {
  return (err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const error = httpError(err, request);
    logHttpError(request, error, err);
    return sendError(reply, error, serialize, type);
  };
}

/** An error written straight to a socket, for requests that never became requests (headers too large, a timeout). */
function rawReply(socket: Socket, error: PalestraError): void {
  const body = JSON.stringify(errorBody(error));
  const status = error.entry.http_status;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Bad Request'}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (a URL or
 * headers over 16 KB, a request that never finishes, bytes that are not HTTP);
 * they get a catalogue error too, where Node would send an empty body.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    rawReply(socket, new PalestraError('headers_too_large', 'The URL and headers are larger than the server reads (16 KB); send long values in a JSON body'));
  } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    rawReply(socket, new PalestraError('request_timeout', 'The request did not arrive in full in time'));
  } else {
    rawReply(socket, new PalestraError('invalid_request', 'The request is not valid HTTP'));
  }
}
