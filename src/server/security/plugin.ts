/**
 * The gate on HTTP, as a Fastify plugin on the root: every request passes
 * the Host, Origin and key checks and the `http` rate limit before its
 * route runs; allowed browser origins get CORS headers (and their
 * preflights an answer); `GET /metrics` serves the Prometheus text; every
 * reply is counted by route.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Principal } from '../../api/principal';
import { PalestraError } from '../../errors';
import type { ServerMetrics } from '../metrics';
import { keyCookie, queryKey } from './api_keys';
import { AccessGate, isRefused, refusalBody } from './gate';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who sent the request, as the gate found. */
    principal: Principal;
    /** `performance.now()` when the request arrived, for the latency histogram. */
    arrivedAt: number;
  }
}

/** What the plugin needs: the server's gate and metrics. */
export interface SecurityPluginOptions {
  gate: AccessGate;
  metrics: ServerMetrics;
}

function refuse(reply: FastifyReply, error: PalestraError): FastifyReply {
  if (error.errorName === 'rate_limited') reply.header('retry-after', String(Math.ceil(Number(error.data.retry_after_s) || 1)));
  return reply.code(error.entry.http_status).type('application/json; charset=utf-8').send(JSON.stringify(refusalBody(error)));
}

async function security(app: FastifyInstance, { gate, metrics }: SecurityPluginOptions): Promise<void> {
  app.decorateRequest('principal', null as unknown as Principal);
  app.decorateRequest('arrivedAt', 0);

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    request.arrivedAt = performance.now();
    const answer = gate.admit(request.raw, `ip:${request.ip}`);
    if (isRefused(answer)) {
      metrics.refused(answer.reason);
      return refuse(reply, answer.error);
    }
    request.principal = answer.principal;
    // A page opened as /?access_token=KEY keeps the key in a cookie, so its socket, its
    // reloads and other tabs are the same user without the key in every URL.
    const fromQuery = gate.keys.enabled ? queryKey(request.url) : undefined;
    if (fromQuery !== undefined && gate.keys.authenticate(fromQuery) !== null) reply.header('set-cookie', keyCookie(fromQuery));
    const origin = request.headers.origin;
    const preflight = request.method === 'OPTIONS' && origin !== undefined;
    reply.headers(gate.origins.corsHeaders(origin, request.headers.host, preflight));
    if (preflight) return reply.code(204).send();
    try {
      gate.limits.consume('http', answer.client);
    } catch (err) {
      metrics.refused('rate_limit');
      return refuse(reply, err as PalestraError);
    }
  });

  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.arrivedAt === 0) return;
    // Labelled by route pattern (`/v1/envs/:id/step`), never by the raw URL a client chose.
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    metrics.request('http', `${request.method} ${route}`, request.arrivedAt, status >= 400 ? String(status) : undefined);
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await metrics.text();
    return reply.type(metrics.contentType).send(text);
  });
}

/** The gate on every HTTP route (not encapsulated, so its hooks cover every room). */
export const securityPlugin = fp(security, { name: 'palestra-security', fastify: '5.x' });
