/**
 * Closing WebSocket connections nobody uses, and ones whose peer has gone
 * without a word. One timer per server sweeps every socket: a socket with
 * no message either way for `idleSeconds` is closed with 1001 and a reason;
 * a socket that has not answered the previous sweep's ping is terminated.
 * The transport marks activity by setting a flag, which costs nothing on
 * the step path.
 */
import type { WebSocket } from 'ws';

/** A socket under watch; the transport sets `active` whenever a message goes either way. */
export interface IdleWatch {
  active: boolean;
}

interface Watched extends IdleWatch {
  /** Sweeps in a row that found the socket inactive. */
  quietSweeps: number;
  /** Whether the pong for the last ping came back. */
  alive: boolean;
  onPong: () => void;
}

/** The close code for an idle socket: 1001, "going away", as a server that drops a connection sends. */
export const IDLE_CLOSE_CODE = 1001;

/** Watches sockets and closes the idle and the dead. */
export class IdleSweeper {
  private readonly sockets = new Map<WebSocket, Watched>();
  private readonly timer: NodeJS.Timeout;
  private readonly sweepsToIdle: number;

  /** Sweeps every `idleSeconds / 2`, so a socket goes between `idleSeconds` and 1.5× that after its last message. */
  constructor(readonly idleSeconds: number) {
    const intervalMs = Math.max(10, (idleSeconds * 1000) / 2);
    this.sweepsToIdle = Math.max(1, Math.round((idleSeconds * 1000) / intervalMs));
    this.timer = setInterval(() => this.sweep(), intervalMs);
    this.timer.unref();
  }

  /** Starts watching a socket; the watch is dropped when it closes. */
  watch(socket: WebSocket): IdleWatch {
    const watched: Watched = {
      active: true,
      quietSweeps: 0,
      alive: true,
      onPong: () => {
        watched.alive = true;
      },
    };
    this.sockets.set(socket, watched);
    socket.on('pong', watched.onPong);
    socket.once('close', () => this.forget(socket));
    return watched;
  }

  /** How many sockets are watched. */
  get size(): number {
    return this.sockets.size;
  }

  private forget(socket: WebSocket): void {
    const watched = this.sockets.get(socket);
    if (watched) socket.off('pong', watched.onPong);
    this.sockets.delete(socket);
  }

  private sweep(): void {
    for (const [socket, w] of this.sockets) {
      if (!w.alive) {
        // No pong since the last sweep: the peer is gone (a sleeping laptop, a dropped route).
        this.forget(socket);
        socket.terminate();
        continue;
      }
      if (w.active) {
        w.active = false;
        w.quietSweeps = 0;
      } else if (++w.quietSweeps >= this.sweepsToIdle) {
        this.forget(socket);
        socket.close(IDLE_CLOSE_CODE, `Idle for ${this.idleSeconds} s; the server closes unused connections (--idle-seconds)`);
        continue;
      }
      w.alive = false;
      try {
        socket.ping();
      } catch {
        // The socket is closing; its close event forgets it.
      }
    }
  }

  /** Stops the timer; the sockets themselves are the server's to close. */
  stop(): void {
    clearInterval(this.timer);
    for (const socket of [...this.sockets.keys()]) this.forget(socket);
  }
}
