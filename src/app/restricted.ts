// A client certificate restricted to other projects than the one asked for (shared servers:
// `lxc config trust edit`, restricted: true, projects: [...]): open the project it may use, or say
// which it may use. Only HTTPS remotes have certificates to restrict; a unix socket sees everything.
import type { LxdApi } from '../lxd/api.js';
import { restrictedNote, type ProjectAccess } from './project-check.js';

export class RestrictedError extends Error {
  override name = 'RestrictedError';
}

export interface AllowedScope<A> {
  /** A client of the first project the certificate may use. */
  api: A;
  /** Why this project: for the status line (TUI) or stderr (`--once`, `exec`). */
  note: string;
  /** Several projects allowed: the ones to offer in the project switcher; null for one. */
  choices: string[] | null;
}

/**
 * The scope to open when the certificate may not use the client's project. Throws a
 * RestrictedError, saying what it may use, when it may use none, or several and the caller cannot
 * offer a choice (`--once`, `exec`).
 */
export function allowedScope<A extends LxdApi>(
  access: Extract<ProjectAccess, { kind: 'restricted' }>,
  how: { remote?: string | null; canChoose: boolean; explicit: boolean; certificate?: string | null },
  rescope: (project: string) => A,
): AllowedScope<A> {
  const { remote, canChoose } = how;
  const cert = how.certificate ? `\n  certificate: ${how.certificate}` : '';
  if (how.explicit) {
    // A project named on the command line is not swapped for another: say what it may use.
    const may = access.allowed.length > 0 ? `it may use: ${access.allowed.join(', ')}` : 'it may use no project';
    const hint = access.allowed.length > 0 ? `\nhint: --project ${access.allowed[0]}, or ask the server's administrator to allow "${access.wanted}"` : '';
    throw new RestrictedError(`${remote ? `remote ${remote}` : 'the server'} refused project "${access.wanted}" to this certificate; ${may}${cert}${hint}`);
  }
  const note = restrictedNote(access, remote);
  if (access.allowed.length === 0) throw new RestrictedError(`${note}${cert}`);
  if (access.allowed.length > 1 && !canChoose) {
    throw new RestrictedError(`${note}\nhint: --project ${access.allowed[0]} for one of them, --all-projects for all of them`);
  }
  return { api: rescope(access.allowed[0]), note, choices: access.allowed.length > 1 ? access.allowed : null };
}
