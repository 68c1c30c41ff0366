/** Reading gym-http-api requests: JSON bodies as Python clients write them, and parameters. */
import { PalestraError } from '../errors';
import { parseJSONBody } from '../server/http';

// Python's json.dumps writes inf and nan as bare Infinity/NaN; outside strings they become
// the string forms that spaces read ("Infinity"), so a Python client's Box action still parses.
const PYTHON_TOKENS = /"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)/g;

/** Reads a request body as JSON: null when empty; bare Infinity and NaN read as the strings spaces accept. */
export function parseRestBody(text: string): unknown {
  try {
    return parseJSONBody(text);
  } catch {
    return parseJSONBody(text.replace(PYTHON_TOKENS, (match, token: string | undefined) => (token ? `"${token}"` : match)));
  }
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
