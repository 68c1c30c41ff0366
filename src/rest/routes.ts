/**
 * gym-http-api's v1 routes on Palestra's HTTP port, with its request and reply
 * shapes. Where Palestra differs, it is to keep more clients working: a
 * trailing slash is optional on every route (the C++ client asks for
 * `/action_space` without one), routes that answered 204 with no body answer
 * 200 with a JSON object (the C++ and Rust clients parse every reply), an
 * unknown instance is 404 rather than 400, and success bodies never hold a
 * `message` (the Go client reads any `message` as an error).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ResetResult, StepResult, actionContains, action_sample, reset, step } from '../api/env';
import type { ServerState } from '../api/context';
import { Seed, checkSeed } from '../envs/utils/seeding';
import { PalestraError, asPalestraError } from '../errors';
import type { HttpHandler } from '../server/http';
import type { RestInstances } from './instances';
import { errorBody, optionalParam, readJSONBody, requiredParam, sendBody } from './io';
import { PyFloat } from './json';
import { EpisodeMonitor, monitorDirectory } from './monitor';
import { infoMatches, markMember, parseContainsArgument, spaceInfo } from './space_info';

/** What a route handler sees. */
interface Call {
  readonly server: ServerState;
  readonly store: RestInstances;
  /** The `:id` and `:x` parts of the path. */
  readonly params: Record<string, string>;
  /** The JSON body (null when empty). */
  body(): Promise<unknown>;
  readonly res: ServerResponse;
}

type Handler = (call: Call) => unknown | Promise<unknown>;

interface Route {
  readonly pattern: readonly string[];
  readonly GET?: Handler;
  readonly POST?: Handler;
}

function seedParam(value: unknown): Seed | undefined {
  return value === undefined ? undefined : checkSeed(value);
}

function flag(value: unknown): boolean {
  return value !== false && value !== 0 && value !== null && value !== undefined && value !== '' && value !== 'false';
}

/** The environment named by the path. */
const record = (call: Call) => call.store.get(call.params.id);

async function createEnv(call: Call) {
  const body = await call.body();
  const env_id = requiredParam(body, 'env_id');
  if (typeof env_id !== 'string') throw new PalestraError('env_malformed', `Attempted to look up malformed environment ID ${JSON.stringify(env_id)}: expected a string`);
  const seed = seedParam(optionalParam(body, 'seed', undefined));
  const kwargs = optionalParam(body, 'kwargs', undefined);
  if (kwargs !== undefined && (typeof kwargs !== 'object' || Array.isArray(kwargs))) {
    throw new PalestraError('invalid_kwargs', "The parameter 'kwargs' must be an object of keyword arguments");
  }
  try {
    return { instance_id: call.store.create(env_id, seed, kwargs as Record<string, unknown> | undefined).made.instance_id };
  } catch (err) {
    // Keep gym-http-api's wording, which its own tests and some clients look for.
    if (err instanceof PalestraError && err.errorName === 'env_malformed') {
      throw new PalestraError('env_malformed', `Attempted to look up malformed environment ID '${env_id}': expected [namespace/]Name-vN`);
    }
    throw err;
  }
}

async function resetEnv(call: Call) {
  const body = await call.body();
  const seed = seedParam(optionalParam(body, 'seed', undefined));
  const rest = record(call);
  const [obs] = reset(call.store.ctx, { instance_id: rest.made.instance_id, seed }) as ResetResult;
  const observation = markMember(rest.made.observation_space, obs);
  rest.monitor?.onReset(observation);
  return { observation };
}

async function stepEnv(call: Call) {
  const body = await call.body();
  const action = requiredParam(body, 'action');
  // `render` asked gym-http-api's server to open a window; a server has no screen to show it on.
  optionalParam(body, 'render', false);
  const rest = record(call);
  const { made } = rest;
  const [obs, reward, terminated, truncated, stepInfo] = step(call.store.ctx, { instance_id: made.instance_id, action }) as StepResult;
  // gym-http-api's old gym API: one `done`, and a time limit said in `info`.
  const done = terminated || truncated;
  const info: Record<string, unknown> = truncated && !terminated ? { ...stepInfo, 'TimeLimit.truncated': true } : { ...stepInfo };
  const observation = markMember(made.observation_space, obs);
  const stats = rest.monitor?.onStep(markMember(made.action_space, action), observation, reward, done);
  if (stats && !('episode' in info)) info.episode = { r: new PyFloat(stats.r), l: stats.l, t: new PyFloat(stats.t) };
  return { observation, reward: new PyFloat(reward), done, info };
}

async function startMonitor(call: Call) {
  const body = await call.body();
  const directory = monitorDirectory(call.server.options.dataDir, requiredParam(body, 'directory'));
  const force = flag(optionalParam(body, 'force', false));
  const resume = flag(optionalParam(body, 'resume', false));
  const video = flag(optionalParam(body, 'video_callable', false));
  const trajectories = flag(optionalParam(body, 'record_trajectories', false));
  const rest = record(call);
  if (rest.monitor) {
    const previous = rest.monitor;
    rest.monitor = null;
    await previous.close();
  }
  const monitor = await EpisodeMonitor.start({
    directory,
    force,
    resume,
    trajectories,
    instanceId: rest.made.instance_id,
    envId: rest.made.env_id,
    version: call.server.version,
  });
  try {
    // The environment may have been closed while the directory was prepared.
    call.store.get(rest.made.instance_id);
  } catch (err) {
    await monitor.close().catch(() => undefined);
    throw err;
  }
  rest.monitor = monitor;
  if (video) call.server.logger.info({ instance_id: rest.made.instance_id }, 'REST monitor records statistics only; video is not supported');
  return { directory: monitor.relativeDirectory(call.server.options.dataDir), video: false };
}

async function closeMonitor(call: Call) {
  const rest = record(call);
  const monitor = rest.monitor;
  rest.monitor = null;
  if (!monitor) return { episodes: 0 };
  await monitor.close();
  return { episodes: monitor.episodes };
}

async function closeEnv(call: Call) {
  await call.store.close(record(call));
  return {};
}

function shutdown(call: Call) {
  if (!call.server.options.allowShutdown || !call.server.shutdown) {
    throw new PalestraError('forbidden', 'Shutting the server down over HTTP is not allowed; start it with --allow-shutdown (allowShutdown: true) to allow it');
  }
  const stop = call.server.shutdown;
  call.server.logger.info('shutdown asked over REST');
  // Closing drops every connection, so wait until this reply has gone out.
  call.res.once('finish', () => setImmediate(() => void stop()));
  return { status: 'shutting down' };
}

const ROUTES: readonly Route[] = [
  { pattern: ['envs'], GET: (c) => ({ all_envs: c.store.list() }), POST: createEnv },
  { pattern: ['envs', ':id', 'reset'], POST: resetEnv },
  { pattern: ['envs', ':id', 'step'], POST: stepEnv },
  { pattern: ['envs', ':id', 'action_space'], GET: (c) => ({ info: spaceInfo(record(c).made.action_space) }) },
  {
    pattern: ['envs', ':id', 'action_space', 'sample'],
    GET: (c) => {
      const rest = record(c);
      return { action: markMember(rest.made.action_space, action_sample(c.store.ctx, { instance_id: rest.made.instance_id })) };
    },
  },
  {
    pattern: ['envs', ':id', 'action_space', 'contains', ':x'],
    GET: (c) => {
      return { member: actionContains(c.store.ctx, record(c).made.instance_id, parseContainsArgument(c.params.x)) };
    },
  },
  { pattern: ['envs', ':id', 'observation_space'], GET: (c) => ({ info: spaceInfo(record(c).made.observation_space) }) },
  {
    pattern: ['envs', ':id', 'observation_space', 'contains'],
    POST: async (c) => {
      const body = await c.body();
      return { member: infoMatches(record(c).made.observation_space, body) };
    },
  },
  { pattern: ['envs', ':id', 'monitor', 'start'], POST: startMonitor },
  { pattern: ['envs', ':id', 'monitor', 'close'], POST: closeMonitor },
  { pattern: ['envs', ':id', 'close'], POST: closeEnv },
  {
    pattern: ['upload'],
    POST: () => {
      throw new PalestraError(
        'not_supported',
        "Uploading is not supported: the OpenAI Gym scoreboard it sent results to closed in 2017. Monitor files stay on the server, under 'monitor/' in its data directory",
      );
    },
  },
  { pattern: ['shutdown'], POST: shutdown },
];

function match(route: Route, segments: string[]): Record<string, string> | null {
  if (route.pattern.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const want = route.pattern[i];
    if (want.startsWith(':')) params[want.slice(1)] = segments[i];
    else if (want !== segments[i]) return null;
  }
  return params;
}

/** Splits `/v1/...` into decoded segments; null for paths outside `/v1`. */
function segmentsOf(url: string): string[] | null {
  const path = url.split('?')[0];
  if (path !== '/v1' && !path.startsWith('/v1/')) return null;
  // Empty segments are dropped, so `/v1/envs` and `/v1/envs/` are the same route.
  const raw = path.slice(3).split('/').filter((s) => s !== '');
  try {
    return raw.map((s) => decodeURIComponent(s));
  } catch {
    throw new PalestraError('invalid_request', `The path ${path} is not validly percent-encoded`);
  }
}

function logError(server: ServerState, req: IncomingMessage, status: number, err: PalestraError, cause: unknown): void {
  const fields = { method: req.method, url: req.url, status, error: err.errorName };
  if (status >= 500) server.logger.error({ ...fields, err: cause }, err.message);
  else server.logger.info(fields, err.message);
}

/** The HTTP handler for every path under `/v1`. */
export function restHandler(store: RestInstances): HttpHandler {
  return async (req, res, server) => {
    let segments: string[] | null;
    try {
      segments = segmentsOf(req.url ?? '/');
    } catch (err) {
      const error = asPalestraError(err);
      sendBody(res, error.entry.http_status, errorBody(error));
      return true;
    }
    if (segments === null) return false;
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    try {
      for (const route of ROUTES) {
        const params = match(route, segments);
        if (!params) continue;
        const handler = method === 'GET' || method === 'POST' ? route[method] : undefined;
        if (!handler) {
          const allow = (['GET', 'POST'] as const).filter((m) => route[m]).join(', ');
          const error = new PalestraError('not_found', `${req.method} is not allowed on ${req.url}; use ${allow}`, { allow });
          logError(server, req, 405, error, null);
          sendBody(res, 405, errorBody(error), { allow });
          return true;
        }
        let body: Promise<unknown> | null = null;
        const limit = server.options.maxMessageBytes;
        const call: Call = { server, store, params, res, body: () => (body ??= readJSONBody(req, limit)) };
        const result = await handler(call);
        sendBody(res, 200, result);
        return true;
      }
      throw new PalestraError('not_found', `No route for ${req.method} ${req.url}; gym-http-api's routes are /v1/envs/ and below`);
    } catch (err) {
      const error = asPalestraError(err);
      const status = error.entry.http_status;
      logError(server, req, status, error, err);
      // A body too large is left unread; closing the connection stops the client sending it.
      const headers: Record<string, string> = error.errorName === 'message_too_large' ? { connection: 'close' } : {};
      if (!res.headersSent) sendBody(res, status, errorBody(error), headers);
      else res.end();
      return true;
    }
  };
}
