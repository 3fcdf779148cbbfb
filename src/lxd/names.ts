// Client-side instance name check, so a bad name is refused before any request and reads like the
// server's own refusal (`Invalid instance name: …`). Both daemons want a DNS label: letters,
// digits and hyphens, 1–63 characters, not starting or ending with a hyphen. They differ on digits
// (checked against LXD 5.0.2 and Incus 6.0.4): LXD refuses a leading digit ("Name must not start
// with a number"), Incus only an all-digit name ("Name cannot be a number") and accepts `1abc`.
import { LxdError } from './errors.js';
import type { ServerKind } from './types.js';

/** Why `name` is not a valid instance name on `server`, in its words; null when it is valid. */
export function instanceNameProblem(name: string, server: ServerKind = 'lxd'): string | null {
  if (name.length < 1 || name.length > 63) return 'Name must be 1-63 characters long';
  if (name.startsWith('-')) return 'Name must not start with "-" character';
  if (server === 'lxd' && /^[0-9]/.test(name)) return 'Name must not start with a number';
  if (name.endsWith('-')) return 'Name must not end with "-" character';
  if (/^[0-9]+$/.test(name)) return 'Name cannot be a number';
  if (!/^[a-zA-Z0-9-]+$/.test(name)) return 'Name can only contain alphanumeric and hyphen characters';
  return null;
}

/**
 * Throws the LxdError the server would answer (kind `http`, status 400, `local` set since no
 * request was made), so callers handle a client-side refusal and a server one alike.
 */
export function checkInstanceName(name: string, server: ServerKind = 'lxd'): void {
  const problem = instanceNameProblem(name, server);
  if (problem !== null) {
    throw new LxdError(`Invalid instance name: ${problem}`, { kind: 'http', status: 400, local: true });
  }
}
