// Table columns that drop by priority on narrow terminals. Pure: given the specs, the available
// width and each column's natural (content) width, decide which columns show and how wide.
import { fit, width as textWidth } from './format.js';

export interface ColumnSpec {
  id: string;
  title: string;
  /** Narrowest useful width. */
  min: number;
  /** Widest it grows to when there is room (default: min). */
  max?: number;
  align?: 'left' | 'right';
  /** Lower is more important: kept longest as the terminal narrows. */
  priority: number;
  /** The store's sort column this column shows, if sortable. */
  sort?: string;
  /** Grows only after every other column reached its natural width (long names, descriptions). */
  greedy?: boolean;
}

export interface LaidColumn {
  spec: ColumnSpec;
  width: number;
}

export const GAP = 1;

/** Natural width of each column over the given cell rows (titles included). */
export function naturalWidths(specs: readonly ColumnSpec[], rows: readonly Record<string, string>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of specs) {
    let w = textWidth(s.title) + 1; // room for the sort arrow
    for (const r of rows) w = Math.max(w, textWidth(r[s.id] ?? ''));
    out[s.id] = w;
  }
  return out;
}

/**
 * Keeps the most important columns that fit in `available` columns at their minimum widths, then
 * grows them (most important first) towards their natural width, capped by `max`. Display order is
 * the order of `specs`.
 */
export function layoutColumns(
  specs: readonly ColumnSpec[],
  available: number,
  natural: Record<string, number> = {},
): LaidColumn[] {
  const byPriority = [...specs].sort((a, b) => a.priority - b.priority);
  const chosen = new Map<string, number>();
  let used = 0;
  for (const s of byPriority) {
    const need = s.min + (chosen.size > 0 ? GAP : 0);
    if (used + need > available) {
      if (chosen.size === 0) {
        chosen.set(s.id, Math.max(1, available));
        used = available;
      }
      continue;
    }
    chosen.set(s.id, s.min);
    used += need;
  }
  let spare = available - used;
  const growOrder = [...byPriority.filter((s) => !s.greedy), ...byPriority.filter((s) => s.greedy)];
  for (const s of growOrder) {
    if (spare <= 0) break;
    const current = chosen.get(s.id);
    if (current === undefined) continue;
    const target = Math.min(s.max ?? s.min, Math.max(s.min, natural[s.id] ?? s.min));
    const grow = Math.min(spare, Math.max(0, target - current));
    chosen.set(s.id, current + grow);
    spare -= grow;
  }
  return specs.filter((s) => chosen.has(s.id)).map((s) => ({ spec: s, width: chosen.get(s.id)! }));
}

/** One line of cells, padded and joined. */
export function formatLine(columns: readonly LaidColumn[], cells: Record<string, string>): string {
  return columns.map((c) => fit(cells[c.spec.id] ?? '', c.width, c.spec.align)).join(' '.repeat(GAP));
}

/** The header line; the sorted column carries ↑ or ↓. */
export function headerCells(
  columns: readonly LaidColumn[],
  sort: { column: string; direction: 'asc' | 'desc' } | null,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of columns) {
    const arrow = sort && c.spec.sort === sort.column ? (sort.direction === 'asc' ? '↑' : '↓') : '';
    out[c.spec.id] = c.spec.align === 'right' ? `${arrow}${c.spec.title}` : `${c.spec.title}${arrow}`;
  }
  return out;
}
