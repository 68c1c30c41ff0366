/**
 * Who is asking, and what they may see. With API keys, jobs, models, runs
 * and REST environments belong to the key's name; a user sees only their
 * own (others' look as if they did not exist), an admin sees all. Without
 * keys every client is the one local user, who sees everything.
 */

/** Who is asking: the owner of what a request makes. */
export interface Principal {
  /** The key's name; things are owned by it, so every tab with one key sees the same things. */
  readonly name: string;
  /** An admin sees and may touch what every user owns. */
  readonly admin: boolean;
}

/** The one user of a server without keys, who sees everything, as before keys existed. */
export const LOCAL_USER: Principal = Object.freeze({ name: 'local', admin: true });

/** A caller without a key on a route open to all (`/health`): owns nothing, sees nothing owned. */
export const ANONYMOUS: Principal = Object.freeze({ name: '', admin: false });

/**
 * Whether `principal` may see or touch something owned by `owner`. A record without an
 * owner was made before keys existed, by the local user.
 */
export function mayAccess(principal: Principal, owner: string | undefined | null): boolean {
  return principal.admin || (owner ?? LOCAL_USER.name) === principal.name;
}
