/**
 * API keys, named as Pathmind's policy server names them: one key from
 * `--api-key` / `PALESTRA_API_KEY`, or several from `--api-keys FILE`
 * (JSON: key → `{name, admin?}`). A key is looked for in the `access_token`
 * header, `Authorization: Bearer`, the `access_token` query parameter and
 * the `access_token` cookie; it is compared in constant time and never
 * logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PalestraError } from '../../errors';
import { LOCAL_USER, Principal } from '../../api/principal';
import { isLoopbackHost } from './origin';

export { LOCAL_USER };
export type { Principal };

/** The name given to the user of a single `--api-key`. */
export const SINGLE_KEY_NAME = 'default';

/** The exact body FastAPI-based servers such as Pathmind's answer without a valid key. */
export const CREDENTIALS_DETAIL = 'Could not validate credentials';

/** Where a key is looked for, in the header, query and cookie. */
export const KEY_PARAMETER = 'access_token';

/** A key file or key option that cannot be used; the message never contains a key. */
export class ApiKeyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiKeyConfigError';
  }
}

interface KeyEntry {
  digest: Buffer;
  principal: Principal;
}

function digestOf(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** The keys a server accepts; empty when it was started without any. */
export class KeyRing {
  private readonly entries: KeyEntry[];

  /** Builds a ring from key → principal pairs. */
  constructor(keys: Iterable<[string, Principal]> = []) {
    this.entries = [...keys].map(([key, principal]) => ({ digest: digestOf(key), principal: Object.freeze({ ...principal }) }));
  }

  /** Keys from the options a server starts with; `PALESTRA_API_KEY` stands in for `apiKey`. */
  static fromOptions(options: { apiKey?: string; apiKeysFile?: string }, env: NodeJS.ProcessEnv = process.env): KeyRing {
    const keys: [string, Principal][] = [];
    const single = options.apiKey ?? env.PALESTRA_API_KEY;
    if (single !== undefined) {
      if (single.length === 0) throw new ApiKeyConfigError('The API key is empty');
      // One key is one user; it is admin so that what it saved before keys existed stays its own.
      keys.push([single, { name: SINGLE_KEY_NAME, admin: true }]);
    }
    if (options.apiKeysFile !== undefined) keys.push(...readKeyFile(options.apiKeysFile));
    return new KeyRing(keys);
  }

  /** True when the server asks for keys. */
  get enabled(): boolean {
    return this.entries.length > 0;
  }

  /** How many keys there are. */
  get size(): number {
    return this.entries.length;
  }

  /**
   * The principal a presented key belongs to, or null. Every stored digest is compared,
   * whatever matched, so the time taken says nothing about which key is close.
   */
  authenticate(key: string | undefined): Principal | null {
    if (!this.enabled) return LOCAL_USER;
    if (key === undefined || key.length === 0) return null;
    const digest = digestOf(key);
    let found: Principal | null = null;
    for (const entry of this.entries) {
      if (timingSafeEqual(digest, entry.digest) && found === null) found = entry.principal;
    }
    return found;
  }
}

/** Reads a key file: a JSON object of key → `{name, admin?}`. Messages name entries by position, never by key. */
export function readKeyFile(path: string): [string, Principal][] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ApiKeyConfigError(`Cannot read the API key file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiKeyConfigError(`The API key file ${path} is not valid JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ApiKeyConfigError(`The API key file ${path} must hold a JSON object of key → {"name": ..., "admin": ...}`);
  }
  const out: [string, Principal][] = [];
  Object.entries(parsed as Record<string, unknown>).forEach(([key, value], i) => {
    const where = `entry ${i + 1} of ${path}`;
    if (key.length === 0) throw new ApiKeyConfigError(`The key of ${where} is empty`);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ApiKeyConfigError(`${where} must be an object {"name": ..., "admin": ...}`);
    }
    const { name, admin } = value as { name?: unknown; admin?: unknown };
    if (typeof name !== 'string' || name.trim().length === 0) throw new ApiKeyConfigError(`${where} needs a non-empty "name"`);
    if (admin !== undefined && typeof admin !== 'boolean') throw new ApiKeyConfigError(`"admin" of ${where} must be true or false`);
    out.push([key, { name, admin: admin === true }]);
  });
  if (out.length === 0) throw new ApiKeyConfigError(`The API key file ${path} holds no keys`);
  return out;
}

/** The parts of a request a key can travel in. */
export interface KeyCarrier {
  url?: string;
  headers: Record<string, string | string[] | undefined>;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The key in a URL's `access_token` query parameter, or undefined. */
export function queryKey(url: string | undefined): string | undefined {
  const q = url?.indexOf('?') ?? -1;
  if (url === undefined || q < 0) return undefined;
  return new URLSearchParams(url.slice(q + 1)).get(KEY_PARAMETER) ?? undefined;
}

/**
 * The `Set-Cookie` value that keeps a key for the page it opened: `HttpOnly`, so scripts
 * cannot read it, and `SameSite=Strict`, so no other site's request carries it.
 */
export function keyCookie(key: string): string {
  return `${KEY_PARAMETER}=${encodeURIComponent(key)}; Path=/; HttpOnly; SameSite=Strict`;
}

/** The key a request presents (header, Bearer, query parameter, then cookie), or undefined. */
export function presentedKey(req: KeyCarrier): string | undefined {
  const header = first(req.headers[KEY_PARAMETER]);
  if (header) return header;
  const authorization = first(req.headers.authorization);
  if (authorization) {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (bearer) return bearer[1];
  }
  const fromQuery = queryKey(req.url);
  if (fromQuery) return fromQuery;
  const cookie = first(req.headers.cookie);
  if (cookie) {
    for (const part of cookie.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0 || part.slice(0, eq).trim() !== KEY_PARAMETER) continue;
      const raw = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return undefined;
}

/** The error for a request without a valid key (HTTP 403, body `{"detail": "Could not validate credentials"}`). */
export function invalidCredentials(): PalestraError {
  return new PalestraError('invalid_credentials', CREDENTIALS_DETAIL);
}

/** A URL with the value of any `access_token` parameter replaced, fit for a log line. */
export function redactUrl(url: string | undefined): string | undefined {
  const q = url?.indexOf('?') ?? -1;
  if (url === undefined || q < 0) return url;
  const pairs = url.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    if (eq < 0) return pair;
    let name: string;
    try {
      name = decodeURIComponent(pair.slice(0, eq).replace(/\+/g, ' '));
    } catch {
      name = pair.slice(0, eq);
    }
    // Any spelling a query parser would read as the key's name is blanked.
    return name.toLowerCase() === KEY_PARAMETER ? `${pair.slice(0, eq)}=[redacted]` : pair;
  });
  return `${url.slice(0, q)}?${pairs.join('&')}`;
}

/**
 * Paths pino's `redact` blanks in log lines: the places a key travels in a request's
 * headers, whether the request is logged as `req` or its headers as `headers`.
 */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.access_token',
  'req.headers.cookie',
  'headers.authorization',
  'headers.access_token',
  'headers.cookie',
];

/**
 * Refuses to serve beyond this machine without keys: binding to anything but loopback
 * needs keys, or `insecure` to say the exposure is meant.
 */
export function assertSafeBind(host: string, keys: KeyRing, insecure: boolean): void {
  if (keys.enabled || insecure || isLoopbackHost(host)) return;
  throw new ApiKeyConfigError(
    `Refusing to listen on ${host} without API keys: any machine that reaches it could train and read models. ` +
      'Give --api-key KEY (or PALESTRA_API_KEY) or --api-keys FILE, or --insecure if that is what you want',
  );
}
