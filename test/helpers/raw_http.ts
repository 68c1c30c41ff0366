/** HTTP and WebSocket requests with every header under the test's control (fetch will not set Host). */
import { request as httpRequest } from 'node:http';
import WebSocket from 'ws';

/** A reply as it came: status, headers, body text. */
export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends one request to `base` (http://host:port) with exactly these headers. */
export function rawRequest(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawReply> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers: { connection: 'close', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** How a WebSocket attempt ended: open (then closed by the helper), or refused with an HTTP status and body. */
export type UpgradeOutcome = { opened: true; socket: WebSocket } | { opened: false; status: number; body: string };

/** Tries a WebSocket upgrade; an opened socket is handed back for the test to use and close. */
export function tryUpgrade(url: string, options: WebSocket.ClientOptions = {}): Promise<UpgradeOutcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.once('open', () => resolve({ opened: true, socket: ws }));
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ opened: false, status: res.statusCode ?? 0, body: text }));
    });
    ws.once('error', (err) => reject(err));
  });
}
