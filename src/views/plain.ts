// The instances table as plain text (`lxtop --once`, like `top -b`): every column at its natural
// width (or dropped by priority to fit `width` when given), no colour, no cursor, trailing spaces trimmed.
// Not store/index.js: that brings the controller and the sampler (lxtop --once loads this).
import { selectInstanceRows, selectSnapshotCount } from '../store/selectors.js';
import type { State } from '../store/state.js';
import { formatLine, headerCells, layoutColumns, naturalWidths } from './columns.js';
import { instanceCells, instanceColumns } from './cells.js';

export function plainInstancesTable(state: State, now: number, width = Number.POSITIVE_INFINITY): string {
  // No caps: scripts read whole names and addresses.
  const specs = instanceColumns(state.server?.clustered ?? false, state.allProjects, Boolean(state.fleet)).map((s) => ({ ...s, max: 1000 }));
  const rows = selectInstanceRows(state).map((r) => instanceCells(r, now, selectSnapshotCount(state, r.key)));
  const natural = naturalWidths(specs, rows);
  const total = specs.reduce((n, s) => n + Math.max(s.min, natural[s.id] ?? 0) + 1, 0);
  const columns = layoutColumns(specs, Math.min(width, total), natural);
  const lines = [formatLine(columns, headerCells(columns, null)), ...rows.map((cells) => formatLine(columns, cells))];
  return lines.map((l) => l.trimEnd()).join('\n');
}
