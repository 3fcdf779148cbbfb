// B, type into many: with two or more instances marked, a session in each (held by the session
// holder) and the keystrokes to all of them, on a screen of their own (src/sessions/broadcast.ts,
// through the app's hand-over of the terminal). Each stays in the Sessions pane after.
import { parseInstanceKey, selectTargetKeys } from '../store/index.js';
import { status, type AppContext } from './context.js';

export function openBroadcast(ctx: AppContext): void {
  const state = ctx.store.getState();
  const keys = selectTargetKeys(state, 'instances');
  if (keys.length < 2) {
    status(ctx, 'Mark two or more instances (space), then B types into all of them', 'error');
    return;
  }
  const sessions = ctx.sessions;
  if (!sessions || !ctx.handOver) {
    status(ctx, 'Sessions are not available here', 'error');
    return;
  }
  const stopped = keys.filter((k) => state.instances[k]?.status !== 'Running').map((k) => parseInstanceKey(k).name);
  if (stopped.length > 0) {
    status(ctx, `Not running: ${stopped.join(', ')} (s starts them; B needs every marked instance running)`, 'error');
    return;
  }
  const names = keys.map((k) => parseInstanceKey(k).name);
  ctx.handOver({ title: `typing into ${names.join(', ')} (Esc leaves)`, run: () => sessions.broadcast(keys) });
}
