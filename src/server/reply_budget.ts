/**
 * The bytes one message's replies may take (a batch's replies count
 * together): a reply that would overdraw the budget is replaced by a
 * reply_too_large error for its request, so no request can make the server
 * build or buffer an unbounded answer.
 */
import { PalestraError } from '../errors';
import { Id, errorText } from './framing/jsonrpc';

/** UTF-8 takes at most 3 bytes per UTF-16 code unit, so text shorter than a third of a limit needs no counting. */
const MAX_BYTES_PER_UNIT = 3;

/** Bytes of text as UTF-8, counted only when the length alone cannot tell that it is under `limit`. */
function overLimit(text: string, limit: number): boolean {
  if (text.length * MAX_BYTES_PER_UNIT <= limit) return false;
  return Buffer.byteLength(text) > limit;
}

export class ReplyBudget {
  private remaining: number;

  constructor(private readonly limit: number) {
    this.remaining = limit;
  }

  /** The reply_too_large error for a limit. */
  static error(limit: number): PalestraError {
    return new PalestraError('reply_too_large', `The reply would exceed the limit of ${limit} bytes; ask for less (a smaller batch, or a limit on a list)`, { limit });
  }

  /** Whether one text fits the whole budget (for a reply that is sent alone). */
  fits(text: string): boolean {
    return !overLimit(text, this.limit);
  }

  /** A reply sent alone: itself when it fits, else the error reply for its id. */
  only(reply: string, id: Id): string {
    return this.fits(reply) ? reply : errorText(id, ReplyBudget.error(this.limit));
  }

  /** One reply of a batch: itself when it fits what is left (and takes its bytes), else the error reply for its id. */
  take(reply: string, id: Id): string {
    const bytes = Buffer.byteLength(reply);
    if (bytes > this.remaining) return errorText(id, ReplyBudget.error(this.limit));
    this.remaining -= bytes;
    return reply;
  }
}
