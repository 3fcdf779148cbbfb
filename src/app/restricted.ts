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
  remote: string | null | undefined,
  rescope: (project: string) => A,
  canChoose: boolean,
): AllowedScope<A> {
  const note = restrictedNote(access, remote);
  if (access.allowed.length === 0) throw new RestrictedError(note);
  if (access.allowed.length > 1 && !canChoose) {
    throw new RestrictedError(`${note}\nhint: --project ${access.allowed[0]} for one of them, --all-projects for all of them`);
  }
  return { api: rescope(access.allowed[0]), note, choices: access.allowed.length > 1 ? access.allowed : null };
}
