/** One JSON-RPC call to a running Palestra server, for the CLI commands that take `--url`. */
import WebSocket from 'ws';
import { fail } from './args';

/** The address `palestra` listens on by default. */
export const DEFAULT_URL = 'ws://127.0.0.1:5000';

/** Calls `method` on the server at `url` and answers its result; any failure exits with one line. */
export async function call(url: string, method: string, params: Record<string, unknown>, timeoutMs = 15_000): Promise<any> {
  if (!/^wss?:\/\//.test(url)) fail(`--url must be a ws:// or wss:// address, like ${DEFAULT_URL}; got ${url}`);
  const reply = await new Promise<{ result?: unknown; error?: { message: string } }>((resolve, reject) => {
    // A server with keys wants one; the CLI takes it from the environment, never from argv (visible in ps).
    const key = process.env.PALESTRA_API_KEY;
    const ws = new WebSocket(url, key ? { headers: { access_token: key } } : {});
    ws.on('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      ws.terminate();
      const status = res.statusCode ?? 0;
      reject(new Error(status === 403 || status === 401 ? 'it wants an API key: set PALESTRA_API_KEY' : `the upgrade was refused with HTTP ${status}`));
    });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no answer from ${url} within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    ws.on('open', () => ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params })));
    ws.on('message', (data) => {
      let msg: { id?: unknown; result?: unknown; error?: { message: string } };
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return;
      }
      // Pushed frames (training progress) carry no id; only the reply does.
      if (msg.id !== 1) return;
      clearTimeout(timer);
      ws.close();
      resolve(msg);
    });
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  }).catch((err: Error & { code?: string }) => {
    const why = err.code === 'ECONNREFUSED' ? 'nothing is listening there' : err.message;
    return fail(`cannot reach a Palestra server at ${url} (${why}); start one with \`palestra\` or pass --url`);
  });
  if (reply.error) fail(reply.error.message);
  return reply.result;
}
