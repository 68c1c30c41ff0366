/** Plain HTTP beside the socket: /health, /, /protocol, and routes that other rooms add. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerState } from '../api/context';
import { healthReport } from '../api/system';
import { asyncapiDocument } from './asyncapi';
import { PROTOCOL_VERSION, protocol } from './protocol';

/** A route handler: answers true when it handled the request (or a promise of that). */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse, server: ServerState) => boolean | Promise<boolean>;

/** Sends a JSON body with a status. */
export function sendJSON(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const builtin: HttpHandler = (req, res, server) => {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (path === '/health') {
    sendJSON(res, 200, healthReport(server));
    return true;
  }
  if (path === '/asyncapi.json') {
    sendJSON(res, 200, asyncapiDocument());
    return true;
  }
  if (path === '/protocol') {
    const methods = Object.fromEntries([...protocol().methods].map(([name, schema]) => [name, schema]));
    sendJSON(res, 200, { protocol_version: PROTOCOL_VERSION, methods });
    return true;
  }
  if (path === '/') {
    sendJSON(res, 200, {
      name: 'palestra',
      description: 'A WebSocket RPC server for reinforcement learning: Gymnasium environments and TensorFlow.js training.',
      version: server.version,
      protocol_version: PROTOCOL_VERSION,
      websocket: { jsonrpc: '/', gymie: '/gym' },
      health: '/health',
      protocol: '/protocol',
      asyncapi: '/asyncapi.json',
      docs: 'README.md in the palestra package; method schemas at /protocol',
    });
    return true;
  }
  return false;
};

/** Routes requests through the added handlers, then the built-in ones; 404 as JSON otherwise. */
export function httpRouter(server: ServerState, handlers: HttpHandler[]) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      for (const handler of [...handlers, builtin]) {
        if (await handler(req, res, server)) return;
      }
      sendJSON(res, 404, { message: `No route for ${req.method} ${req.url}` });
    } catch (err) {
      server.logger.error({ err, url: req.url }, 'http handler failed');
      if (!res.headersSent) sendJSON(res, 500, { message: 'Internal error' });
      else res.end();
    }
  };
}
