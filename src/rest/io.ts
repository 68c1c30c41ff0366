/** Reading gym-http-api requests and writing its replies: JSON bodies, parameters, errors as JSON. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PalestraError } from '../errors';
import { nestsDeeperThan } from '../server/framing/depth';
import { pyJSON } from './json';

// Python's json.dumps writes inf and nan as bare Infinity/NaN; outside strings they become
// the string forms that spaces read ("Infinity"), so a Python client's Box action still parses.
const PYTHON_TOKENS = /"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)/g;

function parseBody(text: string, maxDepth: number): unknown {
  if (nestsDeeperThan(text, maxDepth)) {
    throw new PalestraError('message_too_deep', `The request body nests deeper than the limit of ${maxDepth} levels`, { limit: maxDepth });
  }
  try {
    return JSON.parse(text);
  } catch {
    const patched = text.replace(PYTHON_TOKENS, (match, token: string | undefined) => (token ? `"${token}"` : match));
    try {
      return JSON.parse(patched);
    } catch (err) {
      throw new PalestraError('parse_error', `Request is not a valid json: ${(err as Error).message}`);
    }
  }
}

/** Reads the body as JSON: null when empty (clients send "", "null" or "{}" for no parameters). */
export function readJSONBody(req: IncomingMessage, limit: number, maxDepth: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(new PalestraError('message_too_large', `The request body (${declared} bytes) is larger than the limit of ${limit} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new PalestraError('message_too_large', `The request body is larger than the limit of ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (failed) return;
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (text === '') return resolve(null);
      try {
        resolve(parseBody(text, maxDepth));
      } catch (err) {
        reject(err);
      }
    });
    req.on('error', (err) => {
      if (!failed) reject(err);
      failed = true;
    });
  });
}

/** gym-http-api counts null, "" and [] as "not given". */
function given(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);
}

function asObject(body: unknown): Record<string, unknown> | null {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
}

/** A parameter the route cannot do without; 400 with gym-http-api's wording otherwise. */
export function requiredParam(body: unknown, name: string): unknown {
  const params = asObject(body);
  if (body !== null && params === null) throw new PalestraError('invalid_request', 'Request is not a valid json: expected an object of parameters');
  const value = params?.[name];
  if (!given(value)) throw new PalestraError('invalid_params', `A required request parameter '${name}' was not provided`, { parameter: name });
  return value;
}

/** A parameter with a default, given when absent, null, "" or []. */
export function optionalParam<T>(body: unknown, name: string, fallback: T): unknown {
  const params = asObject(body);
  if (body !== null && params === null) throw new PalestraError('invalid_request', 'Request is not a valid json: expected an object of parameters');
  const value = params?.[name];
  return given(value) ? value : fallback;
}

/** Sends a JSON body (floats as floats, every number valid JSON). */
export function sendBody(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = pyJSON(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** The JSON body of an error: gym-http-api's `message`, beside the catalogue's `code` and `name`. */
export function errorBody(err: PalestraError): Record<string, unknown> {
  const body: Record<string, unknown> = { message: err.message, code: err.code, name: err.errorName };
  if (Object.keys(err.data).length > 0) body.data = err.data;
  return body;
}
