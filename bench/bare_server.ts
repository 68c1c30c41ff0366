/**
 * The yardstick: a bare `ws` server that only parses each JSON message and
 * answers a fixed reply of a given size. Prints its URL on stdout.
 */
import { WebSocketServer } from 'ws';

const replyBytes = Number(process.argv[2] ?? 120);
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
wss.on('listening', () => {
  const address = wss.address() as { port: number };
  process.stdout.write(`listening on ws://127.0.0.1:${address.port}\n`);
});
wss.on('connection', (ws) => {
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString());
    const head = `{"jsonrpc":"2.0","id":${JSON.stringify(message.id ?? null)},"result":"`;
    ws.send(head + 'x'.repeat(Math.max(0, replyBytes - head.length - 2)) + '"}');
  });
});
process.on('SIGTERM', () => process.exit(0));
