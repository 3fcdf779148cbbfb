// The first paint, before Ink is loaded: loading Ink (React, its reconciler, the layout engine)
// takes longer than asking the daemon for its instances, so the instance list is drawn at once as
// plain text in the TUI's own layout; Ink replaces it with the live view moments later.
import type { Instance, ServerInfo } from '../lxd/types.js';
import { createStore } from '../store/index.js';
import { countsText } from '../views/counts.js';
import { fit } from '../views/format.js';
import { plainInstancesTable } from '../views/plain.js';

export function firstPaint(
  server: ServerInfo,
  instances: Instance[],
  project: string,
  remote: string,
  cols: number,
  rows: number,
  now: number = Date.now(),
): string {
  const store = createStore();
  store.dispatch({ type: 'server/loaded', server });
  store.dispatch({ type: 'instances/loaded', instances, project, at: now });
  const state = store.getState();
  const kind = server.kind === 'incus' ? 'Incus' : 'LXD';
  const counts: Record<string, number> & { total: number } = { total: 0 };
  for (const i of instances) {
    counts[i.status] = (counts[i.status] ?? 0) + 1;
    counts.total++;
  }
  const head = [
    `lxtop  ${kind} ${server.version}  ${remote}  project ${server.project || project}`,
    `${countsText(counts)}  (starting…)`,
    '',
  ];
  const table = plainInstancesTable(state, now, Math.max(1, cols - 2))
    .split('\n')
    .map((line) => `  ${line}`);
  const lines = [...head, ...table].slice(0, Math.max(1, rows - 1));
  return lines.map((l) => fit(l, cols).trimEnd()).join('\r\n');
}
