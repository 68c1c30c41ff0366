/**
 * Checks a batch of actions against the single action space before any copy
 * steps, so a bad batch changes no copy's state. Box actions are checked for
 * shape, type and finiteness only: Gymnasium's environments clip them.
 */
import { PalestraError } from '../../../errors';
import { Box, INT_RANGES, flattenShaped } from '../../spaces/box';
import { Dict } from '../../spaces/dict';
import { Discrete } from '../../spaces/discrete';
import { MultiBinary } from '../../spaces/multi_binary';
import { MultiDiscrete } from '../../spaces/multi_discrete';
import { Space, formatValue } from '../../spaces/space';
import { Tuple } from '../../spaces/tuple';

/** Answers the batch in the form `batch_reader` reads (array spaces flat), or throws `invalid_action` naming the copy. */
export type BatchCheck = (actions: unknown) => unknown;

function badAction(i: number, value: unknown, space: Space<any>, reason: string): PalestraError {
  return new PalestraError('invalid_action', `Action of copy ${i} (${formatValue(value)}) is not in ${space.toString()}: ${reason}`, {
    copy: i,
    action: value,
  });
}

function badLength(n: number, got: unknown, what: string): PalestraError {
  const length = Array.isArray(got) || ArrayBuffer.isView(got) ? `${(got as ArrayLike<unknown>).length} ${what}` : formatValue(got);
  return new PalestraError('invalid_action', `Expected a batch of ${n} actions (one per copy), got ${length}`, { num_envs: n });
}

function isArrayLike(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

/** Why `v` is not an element of an array space at flat index `k`, or null. */
type ElementCheck = (v: unknown, k: number) => string | null;

function elementCheck(space: Box | MultiDiscrete | MultiBinary): ElementCheck {
  if (space instanceof MultiBinary) return (v) => (v === 0 || v === 1 ? null : `${formatValue(v)} is not 0 or 1`);
  if (space instanceof MultiDiscrete) {
    return (v, k) => {
      if (typeof v !== 'number' || !Number.isInteger(v)) return `element ${k} (${formatValue(v)}) is not an integer`;
      const lo = space.start[k];
      const hi = lo + space.nvec[k] - 1;
      return v < lo || v > hi ? `element ${k} (${v}) is outside ${lo} to ${hi}` : null;
    };
  }
  const isFloat = space.dtype === 'float32' || space.dtype === 'float64';
  const range = INT_RANGES[space.dtype];
  return (v, k) => {
    if (typeof v !== 'number') return `element ${k} is ${formatValue(v)}, expected a number`;
    if (Number.isNaN(v)) return `element ${k} is NaN`;
    if (!isFloat && !Number.isInteger(v)) return `element ${k} (${v}) is not an integer (${space.dtype})`;
    if (range && (v < range[0] || v > range[1])) return `element ${k} (${v}) does not fit ${space.dtype}`;
    if (!(v >= space.low[k] && v <= space.high[k]) && !Number.isFinite(v)) return `element ${k} (${v}) is not finite`;
    return null;
  };
}

/** The check for batches of `n` actions of `space` (the single action space). */
export function batch_check(space: Space<any>, n: number): BatchCheck {
  if (space instanceof Discrete) {
    const lo = space.start;
    const hi = space.start + space.n - 1;
    return (actions) => {
      if (!isArrayLike(actions) || actions.length !== n) throw badLength(n, actions, 'actions');
      for (let i = 0; i < n; i++) {
        const a = actions[i];
        if (typeof a !== 'number' || !Number.isInteger(a) || a < lo || a > hi) {
          const reason = typeof a !== 'number' ? `expected an integer, got ${formatValue(a)}` : `expected an integer from ${lo} to ${hi}`;
          throw badAction(i, a, space, reason);
        }
      }
      return actions;
    };
  }
  if (space instanceof Box || space instanceof MultiDiscrete || space instanceof MultiBinary) {
    const size = space instanceof MultiDiscrete ? space.nvec.length : space.size;
    const check = elementCheck(space);
    return (actions) => {
      let flat: ArrayLike<unknown>;
      if (isArrayLike(actions) && actions.length === n * size && (size > 1 || !Array.isArray(actions[0]))) flat = actions;
      else if (Array.isArray(actions)) {
        if (actions.length !== n) throw badLength(n, actions, 'actions');
        const walked = flattenShaped(actions, [n, ...space.shape]);
        if (typeof walked === 'string') {
          const i = actions.findIndex((a) => typeof flattenShaped(a, space.shape) === 'string');
          throw badAction(Math.max(i, 0), actions[Math.max(i, 0)], space, walked);
        }
        flat = walked;
      } else throw badLength(n, actions, 'values');
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < size; k++) {
          const reason = check(flat[i * size + k], k);
          if (reason !== null) throw badAction(i, Array.prototype.slice.call(flat, i * size, (i + 1) * size), space, reason);
        }
      }
      return flat;
    };
  }
  if (space instanceof Tuple) {
    const checks = space.spaces.map((s) => batch_check(s, n));
    return (actions) => {
      if (!Array.isArray(actions) || actions.length !== checks.length) {
        throw new PalestraError('invalid_action', `Expected a batch of Tuple actions as ${checks.length} batched members, got ${formatValue(actions)}`, { num_envs: n });
      }
      return checks.map((check, k) => check(actions[k]));
    };
  }
  if (space instanceof Dict) {
    const keys = space.keyList();
    const checks = keys.map((k) => batch_check(space.spaces[k], n));
    return (actions) => {
      if (actions === null || typeof actions !== 'object' || Array.isArray(actions)) {
        throw new PalestraError('invalid_action', `Expected a batch of Dict actions as an object with keys ${keys.join(', ')}`, { num_envs: n });
      }
      const out: Record<string, unknown> = {};
      keys.forEach((key, j) => {
        if (!Object.prototype.hasOwnProperty.call(actions, key)) throw new PalestraError('invalid_action', `The batch of actions lacks key ${JSON.stringify(key)}`, { num_envs: n });
        out[key] = checks[j]((actions as Record<string, unknown>)[key]);
      });
      return out;
    };
  }
  return (actions) => {
    if (!isArrayLike(actions) || actions.length !== n) throw badLength(n, actions, 'actions');
    for (let i = 0; i < n; i++) if (!space.contains(actions[i])) throw badAction(i, actions[i], space, 'not a member');
    return actions;
  };
}
