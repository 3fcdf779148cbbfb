// The cluster's part of the new-instance flow: after the name, a picker of the cluster members
// (the server's own placement first), so the instance can be created on a chosen member.
import type { AppContext } from './context.js';
import { openDialog } from './context.js';

/** The picker value for "let the cluster place it" (member names cannot contain spaces). */
export const ANY_MEMBER = ' any';

/**
 * On a cluster whose members are known, the new-instance flow ends with a member picker (the
 * server's own placement first). False when there is nothing to pick: create at once.
 */
export function askNewTarget(ctx: AppContext, name: string, image: string): boolean {
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
    intent: { command: 'new-target', value: image, name },
  });
  return true;
}
