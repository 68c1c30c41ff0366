/**
 * The gate every request passes before any method runs, whatever the
 * transport: the Host check, the Origin allow-list, the API key, and (for
 * WebSocket upgrades) the connection limit. It answers who is asking, or
 * the catalogue error that turns the request away; the transports write
 * that error in their own way.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ServerOptions } from '../../api/context';
import { ANONYMOUS, LOCAL_USER, Principal } from '../../api/principal';
import { PalestraError } from '../../errors';
import type { RefusalReason } from '../metrics';
import { CREDENTIALS_DETAIL, KeyRing, assertSafeBind, invalidCredentials, presentedKey } from './api_keys';
import { OriginPolicy } from './origin';
import { RateLimits } from './rate_limit';

/** The options of `start()` that the gate reads. */
export type SecurityOptions = Pick<
  ServerOptions,
  'host' | 'allowOrigins' | 'allowHosts' | 'apiKey' | 'apiKeysFile' | 'insecure' | 'maxConnections' | 'rateLimits'
>;

/** A request the gate lets in, and who sent it. */
export interface Admitted {
  principal: Principal;
  /** Whom rate limits count against: the key's name, or (without keys) the given fallback. */
  client: string;
}

/** A request turned away, with the metrics' name for why. */
export interface Refused {
  error: PalestraError;
  reason: RefusalReason;
}

/** What the gate reads of a request. */
export interface GateRequest {
  url?: string;
  method?: string;
  headers: IncomingHttpHeaders;
}

/** Paths anyone may read, key or not, so load balancers and monitors can check the server is up. */
const OPEN_PATHS = new Set(['/health']);

/** The gate of one server. */
export class AccessGate {
  readonly keys: KeyRing;
  readonly limits: RateLimits;
  private policy: OriginPolicy;

  /** Reads the keys and checks the bind address; throws `ApiKeyConfigError` when the server must not start. */
  constructor(private readonly options: SecurityOptions) {
    // The environment is the CLI's to read (`palestra` takes PALESTRA_API_KEY); start() takes only its options.
    this.keys = KeyRing.fromOptions(options, {});
    assertSafeBind(options.host, this.keys, options.insecure);
    this.policy = new OriginPolicy({ bindHost: options.host, allowOrigins: options.allowOrigins, allowHosts: options.allowHosts });
    this.limits = new RateLimits(options.rateLimits);
  }

  /** Learns the port once bound, so `http://host:port` counts as the server's own origin. */
  bound(port: number): void {
    this.policy = new OriginPolicy({ bindHost: this.options.host, port, allowOrigins: this.options.allowOrigins, allowHosts: this.options.allowHosts });
  }

  /** The origin policy in force (for CORS headers). */
  get origins(): OriginPolicy {
    return this.policy;
  }

  /**
   * Checks Host, Origin and key. `fallbackClient` names the caller for rate limits
   * when there are no keys (a connection id, a remote address).
   */
  admit(req: GateRequest, fallbackClient: string): Admitted | Refused {
    const refusal = this.policy.refusal(req.headers);
    if (refusal) return { error: refusal, reason: refusal.errorName === 'host_not_allowed' ? 'host' : 'origin' };
    const path = (req.url ?? '/').split('?')[0];
    if (!this.keys.enabled) return { principal: LOCAL_USER, client: fallbackClient };
    const principal = this.keys.authenticate(presentedKey(req));
    if (principal === null) {
      if (OPEN_PATHS.has(path) && (req.method === 'GET' || req.method === 'HEAD')) return { principal: ANONYMOUS, client: fallbackClient };
      return { error: invalidCredentials(), reason: 'credentials' };
    }
    return { principal, client: `key:${principal.name}` };
  }

  /** Whom a connection's costly methods count against: the key with keys; without, the connection itself. */
  socketClient(principal: Principal, connectionId: string): string {
    return this.keys.enabled ? `key:${principal.name}` : `session:${connectionId}`;
  }

  /** A connection closed: its own buckets go (a key's stay, for the key's other connections). */
  connectionClosed(connectionId: string): void {
    if (!this.keys.enabled) this.limits.forget(`session:${connectionId}`);
  }

  /** Stops the gate's timers (the server is closing). */
  close(): void {
    this.limits.close();
  }

  /** Refuses an upgrade when `open` connections already reach the limit. */
  connectionRefusal(open: number): Refused | null {
    if (open < this.options.maxConnections) return null;
    const limit = this.options.maxConnections;
    return {
      error: new PalestraError('too_many_connections', `The server already holds ${limit} connections (--max-connections); try again later`, {
        limit: 'max_connections',
        max_connections: limit,
      }),
      reason: 'max_connections',
    };
  }
}

/** Whether a gate answer turned the request away. */
export function isRefused(answer: Admitted | Refused): answer is Refused {
  return 'error' in answer;
}

/**
 * The HTTP body of a refusal: Pathmind's exact `{"detail": ...}` for a missing or wrong key,
 * the catalogue error for the rest, with `detail` too so FastAPI-style clients read it.
 */
export function refusalBody(error: PalestraError): Record<string, unknown> {
  if (error.errorName === 'invalid_credentials') return { detail: CREDENTIALS_DETAIL };
  const body: Record<string, unknown> = { detail: error.message, message: error.message, code: error.code, name: error.errorName };
  if (Object.keys(error.data).length > 0) body.data = error.data;
  return body;
}

const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 421: 'Misdirected Request', 429: 'Too Many Requests', 503: 'Service Unavailable' };

/** Turns a WebSocket upgrade away with the error's HTTP status and JSON body, then closes the socket. */
export function refuseUpgrade(socket: Duplex, error: PalestraError): void {
  const status = error.entry.http_status;
  const body = JSON.stringify(refusalBody(error));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
