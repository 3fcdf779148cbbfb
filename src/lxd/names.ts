// Client-side instance name check, so a bad name is refused before any request and reads like the
// server's own refusal (`Invalid instance name: …`). The rule is the one both daemons apply to
// instance names (a DNS label): letters, digits and hyphens, 1–63 characters, not starting with a
// digit or hyphen, not ending with a hyphen.
import { LxdError } from './errors.js';

/** Why `name` is not a valid instance name, in the servers' words; null when it is valid. */
export function instanceNameProblem(name: string): string | null {
  if (name.length < 1 || name.length > 63) return 'Name must be 1-63 characters long';
  if (name.startsWith('-')) return 'Name must not start with "-" character';
  if (name.endsWith('-')) return 'Name must not end with "-" character';
  if (/^[0-9]/.test(name)) return 'Name must not start with a digit';
  if (!/^[a-zA-Z0-9-]+$/.test(name)) return 'Name can only contain alphanumeric and hyphen characters';
  return null;
}

/**
 * Throws the LxdError the server would answer (kind `http`, status 400, `local` set since no
 * request was made), so callers handle a client-side refusal and a server one alike.
 */
export function checkInstanceName(name: string): void {
  const problem = instanceNameProblem(name);
  if (problem !== null) {
    throw new LxdError(`Invalid instance name: ${problem}`, { kind: 'http', status: 400, local: true });
  }
}
