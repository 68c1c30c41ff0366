/**
 * Sending to one client with backpressure. When the bytes waiting to go out
 * (`ws.bufferedAmount`) pass a bound, the server stops reading that client's
 * requests until they drain to half the bound, and closes it with 1013 if they
 * stay above it too long; meanwhile pushed frames wait, and a progress frame
 * replaces the one still waiting for the same job, so a slow subscriber gets
 * the latest progress rather than every frame.
 */
import type { WebSocket } from 'ws';

/** How often a congested client's buffer is looked at. */
const POLL_MS = 20;

/** The bounds of an outbox. */
export interface OutboxLimits {
  /** Bytes waiting to be sent past which reading stops. */
  maxBufferedBytes: number;
  /** How long the buffer may stay above the bound before the client is closed. */
  slowClientMs: number;
}

/** A pushed frame waiting for a congested client; `key` names the job whose progress it carries. */
interface Held {
  key: string | null;
  text: string;
}

/** The key under which a progress frame replaces an older one, or null for frames that are all kept. */
function coalesceKey(method: string, params: unknown): string | null {
  if (!method.endsWith('.progress') || params === null || typeof params !== 'object') return null;
  const job = (params as { job_id?: unknown }).job_id;
  return typeof job === 'string' ? `${method}\u0000${job}` : null;
}

export class Outbox {
  private congestedSince: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private held: Held[] = [];
  private readonly heldAt = new Map<string, number>();

  constructor(
    private readonly ws: WebSocket,
    private readonly limits: OutboxLimits,
    /** Called once when the client stayed congested too long (the caller closes it). */
    private readonly onStalled: () => void,
  ) {}

  /** Whether replies are piling up and reading is paused. */
  get congested(): boolean {
    return this.congestedSince !== null;
  }

  /** Sends a reply (text, or a binary frame) at once (requests are what pausing holds back, so replies stay bounded). */
  send(reply: string | Buffer): void {
    this.ws.send(reply);
    if (this.congestedSince === null && this.ws.bufferedAmount > this.limits.maxBufferedBytes) this.congest();
  }

  /** Sends a pushed frame, or holds it while the client is congested (progress frames coalesce per job). */
  push(method: string, params: unknown, text: () => string): void {
    if (this.congestedSince === null) return this.send(text());
    const key = coalesceKey(method, params);
    const at = key === null ? undefined : this.heldAt.get(key);
    if (at !== undefined) {
      this.held[at].text = text();
      return;
    }
    if (key !== null) this.heldAt.set(key, this.held.length);
    this.held.push({ key, text: text() });
  }

  /** Stops the polling; held frames are dropped (the client has gone). */
  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.held = [];
    this.heldAt.clear();
  }

  private congest(): void {
    this.congestedSince = Date.now();
    this.ws.pause();
    this.timer = setInterval(() => this.poll(), POLL_MS);
    // A congested client alone must not keep the process alive.
    this.timer.unref();
  }

  private poll(): void {
    if (this.ws.readyState !== this.ws.OPEN) return this.dispose();
    if (this.ws.bufferedAmount <= this.limits.maxBufferedBytes / 2) return this.drained();
    if (Date.now() - (this.congestedSince ?? 0) > this.limits.slowClientMs) {
      this.dispose();
      this.onStalled();
    }
  }

  private drained(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.congestedSince = null;
    const held = this.held;
    this.held = [];
    this.heldAt.clear();
    for (const frame of held) this.ws.send(frame.text);
    if (this.ws.bufferedAmount > this.limits.maxBufferedBytes) this.congest();
    else this.ws.resume();
  }
}
