/**
 * Pages of a list method's answer (`limit` items from `cursor`, and the
 * `next_cursor` that asks for the rest), so no list is answered whole however
 * long it grows. A cursor is an offset written as text; clients treat it as
 * opaque, so it may change form later.
 */
import { PalestraError } from '../errors';

/** Entries in a page of `jobs` or `models` when the caller names no limit. */
export const LIST_PAGE = 100;

/** The paging params of a list method. */
export interface PageParams {
  limit?: number;
  cursor?: string;
}

/** One page of a list. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** The page of `items` that `params` asks for; `defaultLimit` when it names no limit. */
export function pageOf<T>(items: readonly T[], params: PageParams, defaultLimit: number): Page<T> {
  const start = params.cursor === undefined ? 0 : Number(params.cursor);
  if (!Number.isSafeInteger(start) || start < 0 || start > items.length) {
    throw new PalestraError('invalid_params', `cursor ${JSON.stringify(params.cursor)} is not one this list answered`, { cursor: params.cursor });
  }
  const end = Math.min(items.length, start + (params.limit ?? defaultLimit));
  return { items: items.slice(start, end), next_cursor: end < items.length ? String(end) : null };
}
