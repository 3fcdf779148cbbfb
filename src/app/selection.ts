// The selected instance, for the flows and the views over the panes that act on it. A module of
// its own so the view flows (snapshots-flow.ts) need not import flows.ts, which imports them: in
// the single binary's bundle the modules initialise asynchronously (Ink's patch awaits an import),
// and an import cycle between two of them never finishes initialising (the TUI hung after its
// first paint).
import { selectSelectedKey, type InstanceKey } from '../store/index.js';
import { status, type AppContext } from './context.js';

export function selectedInstance(ctx: AppContext, what?: string): InstanceKey | null {
  const key = selectSelectedKey(ctx.store.getState(), 'instances');
  if (key === null && what) status(ctx, `${what}: no instance selected`, 'error');
  return key;
}
