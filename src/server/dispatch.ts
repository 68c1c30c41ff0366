/**
 * Validates params against the protocol and runs the method; errors come back
 * as catalogue errors. Each call is counted and timed, and the expensive
 * methods pass their rate limit first.
 */
import { methods } from '../api';
import type { MethodContext } from '../api/context';
import { PalestraError, asPalestraError } from '../errors';
import { instrumentsOf } from './instruments';
import { protocol } from './protocol';

/** Methods that start work far costlier than a message: each has a rate limit of its own name. */
const RATE_LIMITED = new Set(['train', 'evaluate', 'make_vec']);

/** Runs `method`; answers its result (or a promise of it) or throws a PalestraError. */
export function dispatch(ctx: MethodContext, method: string, params: unknown): unknown {
  const instruments = instrumentsOf(ctx.server);
  if (!instruments) return run(ctx, method, params);
  const { metrics, gate } = instruments;
  const started = performance.now();
  try {
    if (RATE_LIMITED.has(method)) {
      // Per key with keys; without, every client is the local user, so per connection.
      gate.limits.consume(method, gate.socketClient(ctx.session.principal, ctx.session.id));
    }
    const result = run(ctx, method, params);
    if (result instanceof Promise) {
      return result.then(
        (value) => {
          metrics.request('ws', method, started);
          return value;
        },
        (err: PalestraError) => {
          metrics.request('ws', method, started, err.errorName);
          throw err;
        },
      );
    }
    metrics.request('ws', method, started);
    return result;
  } catch (err) {
    const error = asPalestraError(err);
    metrics.request('ws', method, started, error.errorName);
    throw error;
  }
}

function run(ctx: MethodContext, method: string, params: unknown): unknown {
  const handler = Object.prototype.hasOwnProperty.call(methods, method) ? methods[method] : undefined;
  if (!handler) throw new PalestraError('method_not_found', `Method ${method} not found`, { method });
  const checked = protocol().checkParams(method, params);
  try {
    const result = handler(ctx, checked);
    if (result instanceof Promise) return result.catch((err) => Promise.reject(logged(ctx, method, err)));
    return result;
  } catch (err) {
    throw logged(ctx, method, err);
  }
}

/** Logs failures that are the server's fault (not the client's) with their stack. */
function logged(ctx: MethodContext, method: string, err: unknown): PalestraError {
  const error = asPalestraError(err);
  if (error.errorName === 'internal_error') ctx.server.logger.error({ err, method }, 'method failed');
  return error;
}
