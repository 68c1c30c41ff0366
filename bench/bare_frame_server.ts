/**
 * The yardstick for binary frames: a bare `ws` server that answers every
 * message with one pre-built binary message of a given size, doing no other
 * work. Prints its URL on stdout.
 */
import { WebSocketServer } from 'ws';

const replyBytes = Number(process.argv[2] ?? 1024);
const reply = Buffer.alloc(replyBytes, 1);
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
wss.on('listening', () => {
  const address = wss.address() as { port: number };
  process.stdout.write(`listening on ws://127.0.0.1:${address.port}\n`);
});
wss.on('connection', (ws) => {
  ws.on('message', () => ws.send(reply));
});
process.on('SIGTERM', () => process.exit(0));
