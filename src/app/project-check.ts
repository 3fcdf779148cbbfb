// Is the project lxtop was asked for one it can show? Two ways it is not:
// - the server does not have it: the daemons list no instances for it rather than refuse, so
//   without this check the view would sit empty (its event stream refused with "Project not found");
// - the client certificate is restricted to other projects (`lxc config trust edit`: restricted,
//   projects): the server refuses the project (LXD 403 "not authorized", Incus 500 "User does not
//   have permissions for project …") and `GET /1.0/projects` lists exactly the projects allowed.
//   The `default` project always exists and cannot be deleted: a list without it comes from a
//   restricted certificate (docs/lxd-api.md, Restricted certificates).
import type { LxdApi } from '../lxd/api.js';

export type ProjectAccess =
  | { kind: 'ok' }
  /** Not on the server: `message` names the projects there are. */
  | { kind: 'missing'; message: string }
  /** The certificate may not use `wanted`; `allowed` are the projects it may use (maybe none). */
  | { kind: 'restricted'; wanted: string; allowed: string[] };

/** What the certificate may do with the client's project. Nothing to say when projects cannot be listed. */
export async function projectAccess(api: LxdApi): Promise<ProjectAccess> {
  const projects = await api.listProjects().catch(() => null);
  if (projects === null) return { kind: 'ok' };
  const names = projects.map((p) => p.name);
  if (names.includes(api.project)) return { kind: 'ok' };
  if (!names.includes('default')) return { kind: 'restricted', wanted: api.project, allowed: names.sort((a, b) => a.localeCompare(b)) };
  return { kind: 'missing', message: `project "${api.project}" not found; the server has: ${names.join(', ')}` };
}

/** The message for a missing project (naming the projects there are), or null when it exists. */
export async function missingProject(api: LxdApi): Promise<string | null> {
  if (api.project === 'default') return null;
  const access = await projectAccess(api);
  return access.kind === 'missing' ? access.message : null;
}

/** Why lxtop shows another project than the one asked for, for the status line and stderr. */
export function restrictedNote(access: { wanted: string; allowed: string[] }, remote?: string | null): string {
  const cert = remote ? `the certificate of remote ${remote}` : 'this client certificate';
  if (access.allowed.length === 0) return `${cert} may use no project (project "${access.wanted}" refused); ask the server's administrator`;
  if (access.allowed.length === 1) {
    return `${cert} is restricted to project ${access.allowed[0]} (not "${access.wanted}"): showing ${access.allowed[0]}`;
  }
  return `${cert} is restricted to projects ${access.allowed.join(', ')} (not "${access.wanted}"): pick one`;
}
