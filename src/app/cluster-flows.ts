// Issue 5's flows: the cluster's part of the new-instance flow (after the name, a picker of the
// cluster members, the server's own placement first) and the project switcher (P).
import type { AppContext } from './context.js';
import { openDialog, status } from './context.js';
import type { Dialog } from '../store/index.js';
import type { NewInstanceOptions } from './new-line.js';

/** The picker value for "every project" (project names cannot contain spaces). */
export const ALL_PROJECTS = ' all';

/** P: a picker of the server's projects plus "all projects"; the current scope is selected. */
export async function askProject(ctx: AppContext): Promise<void> {
  if (!ctx.switchScope || !ctx.controller.listProjects) {
    status(ctx, 'Switching project is not available here', 'error');
    return;
  }
  status(ctx, 'Listing projects…');
  const names = await ctx.controller.listProjects();
  if (names === null) return; // the error is in the status line
  const state = ctx.store.getState();
  if (state.ui.dialog) return; // something else opened meanwhile
  ctx.store.dispatch({ type: 'status/clear' });
  openDialog(ctx, projectPicker(names, state.allProjects ? ALL_PROJECTS : state.server?.project ?? 'default'));
}

/**
 * The project switcher's dialog: "all projects" and `names` (for a restricted certificate, the
 * server lists only the projects it may use), `current` selected.
 */
export function projectPicker(names: readonly string[], current: string): Dialog {
  const items = [
    { value: ALL_PROJECTS, label: 'all projects', hint: 'every project, with a PROJECT column' },
    ...[...names].sort((a, b) => a.localeCompare(b)).map((n) => ({ value: n, label: n })),
  ];
  return {
    kind: 'picker',
    title: 'Switch project',
    items,
    selected: Math.max(0, items.findIndex((i) => i.value === current)),
    intent: { command: 'project' },
  };
}

export function acceptProject(ctx: AppContext, value: string): void {
  const state = ctx.store.getState();
  const same = value === ALL_PROJECTS ? state.allProjects : !state.allProjects && state.server?.project === value;
  if (same) return;
  status(ctx, value === ALL_PROJECTS ? 'Switching to all projects…' : `Switching to project ${value}…`);
  ctx.switchScope?.(value === ALL_PROJECTS ? { allProjects: true } : { project: value });
}

/** The picker value for "let the cluster place it" (member names cannot contain spaces). */
export const ANY_MEMBER = ' any';

/**
 * On a cluster whose members are known, the new-instance flow ends with a member picker (the
 * server's own placement first). False when there is nothing to pick: create at once.
 */
export function askNewTarget(ctx: AppContext, name: string, image: string, options: NewInstanceOptions = {}, remote?: string): boolean {
  const state = ctx.store.getState();
  const members = state.server?.clustered ? [...(state.members ?? [])] : [];
  if (members.length === 0) return false;
  members.sort((a, b) => a.server_name.localeCompare(b.server_name));
  openDialog(ctx, {
    kind: 'picker',
    title: `New instance ${name}: pick a cluster member`,
    items: [
      { value: ANY_MEMBER, label: 'any member', hint: 'the cluster places it' },
      ...members.map((m) => ({ value: m.server_name, label: m.server_name, hint: [m.status, m.message].filter(Boolean).join(' ') })),
    ],
    selected: 0,
    intent: { command: 'new', step: 'target', image, name, options, ...(remote ? { remote } : {}) },
  });
  return true;
}

/** O: a picker of the configured remotes; choosing one reconnects (the runner does it). */
export async function askRemote(ctx: AppContext, current: string): Promise<void> {
  if (!ctx.listRemotes || !ctx.switchRemote) {
    status(ctx, 'Switching remote is not available here', 'error');
    return;
  }
  let remotes;
  try {
    remotes = await ctx.listRemotes();
  } catch (err) {
    status(ctx, `remotes: ${err instanceof Error ? err.message : String(err)}`, 'error');
    return;
  }
  if (remotes.length === 0) {
    status(ctx, 'No remotes configured (lxtop remote add NAME URL)', 'error');
    return;
  }
  if (ctx.store.getState().ui.dialog) return;
  const items = remotes.map((r) => ({ value: r.name, label: r.name, hint: r.addr }));
  openDialog(ctx, {
    kind: 'picker',
    title: 'Switch remote',
    items,
    selected: Math.max(0, items.findIndex((i) => current.includes(i.hint))),
    intent: { command: 'remote' },
  });
}

export function acceptRemote(ctx: AppContext, name: string): void {
  status(ctx, `Connecting to ${name}…`);
  ctx.switchRemote?.(name);
}
