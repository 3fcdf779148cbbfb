// A project the server does not have: the daemons list no instances for it rather than refuse, so
// without this check the view would sit empty (its event stream refused with "Project not found").
import type { LxdApi } from '../lxd/api.js';

/** The message for a missing project (naming the projects there are), or null when it exists. */
export async function missingProject(api: LxdApi): Promise<string | null> {
  if (api.project === 'default') return null;
  // Not allowed to list projects (a restricted certificate), or an old server: nothing to say.
  const projects = await api.listProjects().catch(() => null);
  if (projects === null || projects.some((p) => p.name === api.project)) return null;
  return `project "${api.project}" not found; the server has: ${projects.map((p) => p.name).join(', ')}`;
}
