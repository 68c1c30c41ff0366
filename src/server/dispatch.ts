/** Validates params against the protocol and runs the method; errors come back as catalogue errors. */
import { methods } from '../api';
import type { MethodContext } from '../api/context';
import { PalestraError, asPalestraError } from '../errors';
import { protocol } from './protocol';

/** Runs `method`; answers its result (or a promise of it) or throws a PalestraError. */
export function dispatch(ctx: MethodContext, method: string, params: unknown): unknown {
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
