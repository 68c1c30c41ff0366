/**
 * Who may talk to the server from a browser: the `Origin` allow-list, the
 * `Host` check against DNS rebinding, and the CORS headers that follow from
 * them. Non-browser clients send no `Origin` and are not this file's concern
 * (API keys are).
 */
import { isIP } from 'node:net';
import { PalestraError } from '../../errors';

/** What the origin and host checks are built from. */
export interface OriginPolicyOptions {
  /** The address the server is bound to (`127.0.0.1`, `0.0.0.0`, `::`, a name…). */
  bindHost: string;
  /** The port it listens on, once known; with it, `http://bindHost:port` is an own origin. */
  port?: number;
  /** Origins allowed besides the defaults, exact (`https://app.example:8443`); `*` allows every origin, `null` the opaque one. */
  allowOrigins?: readonly string[];
  /** Host names the `Host` header may carry besides the defaults; `*` turns the check off. */
  allowHosts?: readonly string[];
}

/** The request headers the checks read (Node's lower-cased `IncomingHttpHeaders` fits). */
export interface RequestHeaders {
  host?: string;
  origin?: string;
  [name: string]: string | string[] | undefined;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
const WILDCARD_HOSTS = new Set(['', '0.0.0.0', '::', '[::]']);

/** `[::1]` → `::1`, `Example.COM.` → `example.com`: the form names are compared in. */
function normalHostname(name: string): string {
  let n = name.trim().toLowerCase();
  if (n.startsWith('[') && n.endsWith(']')) n = n.slice(1, -1);
  if (n.endsWith('.')) n = n.slice(0, -1);
  return n;
}

/** Splits a `Host` header value into its name and port; null when it cannot be one. */
export function parseHostHeader(value: string): { hostname: string; port: string } | null {
  const v = value.trim();
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(v);
  if (bracketed) return { hostname: normalHostname(bracketed[1]), port: bracketed[2] ?? '' };
  const plain = /^([A-Za-z0-9._-]+)(?::(\d{1,5}))?$/.exec(v);
  if (plain) return { hostname: normalHostname(plain[1]), port: plain[2] ?? '' };
  return null;
}

/** True for an address only this machine can reach (127.0.0.0/8, ::1, `localhost`). */
export function isLoopbackHost(host: string): boolean {
  const h = normalHostname(host);
  if (h === 'localhost' || h === '::1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  return mapped !== null && mapped[1].startsWith('127.');
}

/** The origin and host rules of one server. */
export class OriginPolicy {
  private readonly anyOrigin: boolean;
  private readonly anyHost: boolean;
  private readonly origins = new Set<string>();
  private readonly hosts = new Set<string>();

  constructor(options: OriginPolicyOptions) {
    const allowOrigins = options.allowOrigins ?? [];
    const allowHosts = options.allowHosts ?? [];
    this.anyOrigin = allowOrigins.includes('*');
    this.anyHost = allowHosts.includes('*');
    for (const origin of allowOrigins) if (origin !== '*') this.origins.add(normalOrigin(origin) ?? origin);
    for (const name of [...LOOPBACK_NAMES, ...allowHosts]) if (name !== '*') this.hosts.add(normalHostname(name));
    const bind = normalHostname(options.bindHost);
    if (!WILDCARD_HOSTS.has(bind)) {
      this.hosts.add(bind);
      if (options.port !== undefined) {
        const hostPart = isIP(bind) === 6 ? `[${bind}]` : bind;
        this.origins.add(`http://${hostPart}:${options.port}`);
        this.origins.add(`https://${hostPart}:${options.port}`);
      }
    }
  }

  /**
   * Whether a `Host` header names this server. A missing header (HTTP/1.0, some tools)
   * passes: DNS rebinding needs a browser, and browsers always send one. An IP literal
   * passes too: rebinding works only through a DNS name the attacker controls.
   */
  hostAllowed(host: string | undefined): boolean {
    if (host === undefined || this.anyHost) return true;
    const parsed = parseHostHeader(host);
    if (parsed === null) return false;
    return this.hosts.has(parsed.hostname) || isIP(parsed.hostname) !== 0;
  }

  /**
   * Whether a request with this `Origin` may proceed. No `Origin` (a non-browser client)
   * passes; so do localhost pages on any port, the server's own origin (the one the
   * request's `Host` names), and the origins added with `--allow-origin`.
   */
  originAllowed(origin: string | undefined, host?: string): boolean {
    if (origin === undefined || this.anyOrigin) return true;
    const o = origin.trim();
    if (o === 'null') return this.origins.has('null');
    const normal = normalOrigin(o);
    if (normal === null) return false;
    if (this.origins.has(normal)) return true;
    const url = new URL(normal);
    if (LOOPBACK_NAMES.includes(normalHostname(url.hostname))) return true;
    return host !== undefined && this.hostAllowed(host) && sameHost(url, host);
  }

  /** The catalogue error that refuses a request with these headers, or null when it may proceed. */
  refusal(headers: RequestHeaders): PalestraError | null {
    const host = single(headers.host);
    if (!this.hostAllowed(host)) {
      return new PalestraError('host_not_allowed', `Host ${JSON.stringify(host)} is not a name this server answers for; start it with --allow-host to add one`, {
        host,
      });
    }
    const origin = single(headers.origin);
    if (!this.originAllowed(origin, host)) {
      return new PalestraError('origin_not_allowed', `Requests from origin ${JSON.stringify(origin)} are not allowed; start the server with --allow-origin to add one`, {
        origin,
      });
    }
    return null;
  }

  /**
   * CORS headers for a response to a request from `origin`: only an allowed browser origin
   * gets any, and never `*`, since keys may travel as cookies.
   */
  corsHeaders(origin: string | undefined, host?: string, preflight = false): Record<string, string> {
    if (origin === undefined || origin === 'null' || !this.originAllowed(origin, host)) return {};
    const headers: Record<string, string> = {
      'access-control-allow-origin': origin,
      'access-control-allow-credentials': 'true',
      vary: 'Origin',
    };
    if (preflight) {
      headers['access-control-allow-methods'] = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
      headers['access-control-allow-headers'] = 'content-type, authorization, access_token';
      headers['access-control-max-age'] = '600';
    }
    return headers;
  }
}

/** `HTTP://Example.com:80/` → `http://example.com`; null for what is not an http(s) origin. */
function normalOrigin(origin: string): string | null {
  if (origin === 'null') return 'null';
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.origin;
}

/** Whether an origin's URL and a `Host` header name the same host and port (the page is the server's own). */
function sameHost(origin: URL, host: string): boolean {
  const parsed = parseHostHeader(host);
  if (parsed === null) return false;
  const defaultPort = origin.protocol === 'https:' ? '443' : '80';
  return normalHostname(origin.hostname) === parsed.hostname && (origin.port || defaultPort) === (parsed.port || defaultPort);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
