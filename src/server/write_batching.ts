/**
 * Replies to the frames of one read leave in one write. ws writes every frame
 * with its own system call; a client with many requests in flight sends many
 * frames per read, so the socket is corked at the first message of a tick and
 * uncorked when the tick's work is done. A lone request's reply waits only for
 * the end of the tick it was handled in.
 */
import type { Duplex } from 'node:stream';

/** Returns the function to call before each message is handled on `socket`. */
export function batchWrites(socket: Duplex): () => void {
  let corked = false;
  const release = () => {
    corked = false;
    socket.uncork();
  };
  return () => {
    if (corked || !socket.writable) return;
    corked = true;
    socket.cork();
    process.nextTick(release);
  };
}
