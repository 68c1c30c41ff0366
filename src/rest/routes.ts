/**
 * gym-http-api's v1 routes on Palestra's HTTP port, with its request and reply
 * shapes. Where Palestra differs, it is to keep more clients working: a
 * trailing slash is optional on every route (the C++ client asks for
 * `/action_space` without one), routes that answered 204 with no body answer
 * 200 with a JSON object (the C++ and Rust clients parse every reply), an
 * unknown instance is 404 rather than 400, and success bodies never hold a
 * `message` (the Go client reads any `message` as an error).
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { ResetResult, StepResult, actionContains, action_sample, reset, step } from '../api/env';
import type { ServerState } from '../api/context';
import type { Principal } from '../api/principal';
import { Seed, checkSeed } from '../envs/utils/seeding';
import { PalestraError } from '../errors';
import { addJSONParser, JSON_TYPES } from '../server/http';
import { errorHandler, sendError } from '../server/http_errors';
import type { RestInstances } from './instances';
import { optionalParam, parseRestBody, requiredParam } from './io';
import { PyFloat, pyJSON } from './json';
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
  /** Who is asking; REST environments are theirs. */
  readonly principal: Principal;
  readonly res: ServerResponse;
}

type Handler = (call: Call) => unknown | Promise<unknown>;

/** One gym-http-api route: its path under `/v1` (Fastify's syntax) and a handler per method. */
interface Route {
  readonly url: string;
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
const record = (call: Call) => call.store.get(call.params.id, call.principal);

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
    return { instance_id: call.store.create(env_id, seed, kwargs as Record<string, unknown> | undefined, call.principal).made.instance_id };
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
    call.store.get(rest.made.instance_id, call.principal);
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
  if (!call.principal.admin) throw new PalestraError('forbidden', 'Only an admin key may shut the server down');
  const stop = call.server.shutdown;
  call.server.logger.info('shutdown asked over REST');
  // Closing drops every connection, so wait until this reply has gone out.
  call.res.once('finish', () => setImmediate(() => void stop()));
  return { status: 'shutting down' };
}

const ROUTES: readonly Route[] = [
  { url: '/envs', GET: (c) => ({ all_envs: c.store.list(c.principal) }), POST: createEnv },
  { url: '/envs/:id/reset', POST: resetEnv },
  { url: '/envs/:id/step', POST: stepEnv },
  { url: '/envs/:id/action_space', GET: (c) => ({ info: spaceInfo(record(c).made.action_space) }) },
  {
    url: '/envs/:id/action_space/sample',
    GET: (c) => {
      const rest = record(c);
      return { action: markMember(rest.made.action_space, action_sample(c.store.ctx, { instance_id: rest.made.instance_id })) };
    },
  },
  {
    url: '/envs/:id/action_space/contains/:x',
    GET: (c) => {
      return { member: actionContains(c.store.ctx, record(c).made.instance_id, parseContainsArgument(c.params.x)) };
    },
  },
  { url: '/envs/:id/observation_space', GET: (c) => ({ info: spaceInfo(record(c).made.observation_space) }) },
  {
    url: '/envs/:id/observation_space/contains',
    POST: async (c) => {
      const body = await c.body();
      return { member: infoMatches(record(c).made.observation_space, body) };
    },
  },
  { url: '/envs/:id/monitor/start', POST: startMonitor },
  { url: '/envs/:id/monitor/close', POST: closeMonitor },
  { url: '/envs/:id/close', POST: closeEnv },
  {
    url: '/upload',
    POST: () => {
      throw new PalestraError(
        'not_supported',
        "Uploading is not supported: the OpenAI Gym scoreboard it sent results to closed in 2017. Monitor files stay on the server, under 'monitor/' in its data directory",
      );
    },
  },
  { url: '/shutdown', POST: shutdown },
];

const METHODS = ['GET', 'POST'] as const;
// Every other method Fastify routes answers 405 on a known path; HEAD goes with GET.
const OTHER_METHODS = ['DELETE', 'PATCH', 'PUT', 'OPTIONS'] as const;
const REST_TYPE = 'application/json';

/** gym-http-api's routes as a Fastify plugin, to be mounted under `/v1`; replies written as gym-http-api's server wrote them. */
export function restRoutes(store: RestInstances) {
  return async (app: FastifyInstance): Promise<void> => {
    const server = app.palestra;
    // Python clients may send bare Infinity and NaN; REST reads them as the strings spaces accept.
    for (const type of JSON_TYPES) app.removeContentTypeParser(type);
    addJSONParser(app, parseRestBody);
    app.setErrorHandler(errorHandler(pyJSON, REST_TYPE));
    app.setNotFoundHandler((request, reply) => {
      const error = new PalestraError('not_found', `No route for ${request.method} ${request.url}; gym-http-api's routes are /v1/envs/ and below`);
      sendError(reply, error, pyJSON, REST_TYPE);
    });
    for (const route of ROUTES) {
      for (const method of METHODS) {
        const handler = route[method];
        if (!handler) continue;
        app.route({
          method,
          url: route.url,
          handler: async (request, reply) => {
            const call: Call = {
              server,
              store,
              params: request.params as Record<string, string>,
              res: reply.raw,
              body: () => Promise.resolve(request.body ?? null),
              principal: request.principal,
            };
            const result = await handler(call);
            return reply.type(REST_TYPE).send(pyJSON(result));
          },
        });
      }
      const allow = METHODS.filter((m) => route[m]).join(', ');
      app.route({
        method: [...OTHER_METHODS, ...METHODS.filter((m) => !route[m]), ...(route.GET ? [] : ['HEAD'])],
        url: route.url,
        // Refused before any body is read.
        onRequest: async (request) => {
          throw new PalestraError('method_not_allowed', `${request.method} is not allowed on ${request.url}; use ${allow}`, { allow });
        },
        handler: async () => undefined,
      });
    }
  };
}
