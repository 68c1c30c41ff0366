/** HTTP helpers for the REST tests: Node's fetch, and the exact requests gym_http_client.py sends. */
import { ERRORS, ErrorName } from '../../src/errors';

/** One reply, its body parsed as strict JSON (JSON.parse refuses NaN and Infinity). */
export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/**
 * Sends a request; a body that is not a string is sent as JSON. A body goes out as
 * `Content-Type: application/json` (as every gym-http-api client sends it) unless the
 * headers say otherwise. Fails if the reply is not JSON.
 */
export async function request(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const typed = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  const res = await fetch(base + path, {
    method,
    headers: body === undefined || typed ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  if (method !== 'HEAD') {
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(text).not.toBe('');
  }
  return { status: res.status, headers: res.headers, text, json: text === '' ? undefined : JSON.parse(text) };
}

/** Python's `json.dumps` with its default separators, for the bodies gym_http_client.py sends. */
export function pyDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' || typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pyDumps).join(', ')}]`;
  return `{${Object.entries(value as object)
    .map(([k, v]) => `${JSON.stringify(k)}: ${pyDumps(v)}`)
    .join(', ')}}`;
}

/**
 * What gym_http_client.py's `Client` puts on the wire: a session with
 * `Content-type: application/json`, POST bodies from `json.dumps(data)`
 * (`null` when it passes None), GETs without a body, URLs built with urljoin.
 */
export class PythonStyleClient {
  constructor(private readonly base: string) {}

  post(route: string, data: unknown): Promise<Reply> {
    return request(this.base, 'POST', route, pyDumps(data), { 'Content-type': 'application/json' });
  }

  get(route: string): Promise<Reply> {
    return request(this.base, 'GET', route, undefined, { 'Content-type': 'application/json' });
  }

  env_create = (env_id: string) => this.post('/v1/envs/', { env_id });
  env_list_all = () => this.get('/v1/envs/');
  env_reset = (id: string) => this.post(`/v1/envs/${id}/reset/`, null);
  env_step = (id: string, action: unknown, render = false) => this.post(`/v1/envs/${id}/step/`, { action, render });
  env_action_space_info = (id: string) => this.get(`/v1/envs/${id}/action_space/`);
  env_action_space_sample = (id: string) => this.get(`/v1/envs/${id}/action_space/sample`);
  env_action_space_contains = (id: string, x: unknown) => this.get(`/v1/envs/${id}/action_space/contains/${x}`);
  env_observation_space_info = (id: string) => this.get(`/v1/envs/${id}/observation_space/`);
  env_observation_space_contains = (id: string, params: unknown) => this.post(`/v1/envs/${id}/observation_space/contains`, params);
  env_monitor_start = (id: string, directory: string, force = false, resume = false, video_callable: unknown = false) =>
    this.post(`/v1/envs/${id}/monitor/start/`, { directory, force, resume, video_callable });
  env_monitor_close = (id: string) => this.post(`/v1/envs/${id}/monitor/close/`, null);
  env_close = (id: string) => this.post(`/v1/envs/${id}/close/`, null);
  upload = (training_dir: string, algorithm_id: string | null = null, api_key: string | null = null) =>
    this.post('/v1/upload/', { training_dir, algorithm_id, api_key });
  shutdown_server = () => this.post('/v1/shutdown/', null);
}

/** Checks an error reply: its status is the catalogue's, its body `{message, code, name}`. */
export function expectError(reply: Reply, name: ErrorName, status = ERRORS[name].http_status, words?: string | RegExp): void {
  expect({ status: reply.status, name: reply.json?.name }).toEqual({ status, name });
  expect(reply.json).toEqual(expect.objectContaining({ message: expect.any(String), code: ERRORS[name].code, name }));
  if (words !== undefined) expect(reply.json.message).toMatch(words);
}
