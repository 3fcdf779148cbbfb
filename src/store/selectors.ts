// Pure selectors for the views: filtered + sorted rows, counts, metrics, the effective selection.
// The row selectors are memoised on the identity of their inputs (reducers keep identities stable).
import { operationProgress } from '../lxd/progress.js';
import type { Image, Operation } from '../lxd/types.js';
import { computeMetrics } from './metrics.js';
import type {
  ImageRow,
  InstanceKey,
  InstanceMetrics,
  InstanceRow,
  OperationRow,
  PaneId,
  SessionRow,
  SortDirection,
  State,
  StatusCounts,
} from './state.js';

/** Remember the last result for the last inputs (compared by identity). */
function memoLast<A extends readonly unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  let lastArgs: A | null = null;
  let lastResult: R;
  return (...args: A) => {
    if (lastArgs && lastArgs.length === args.length && lastArgs.every((a, i) => a === args[i])) return lastResult;
    lastResult = fn(...args);
    lastArgs = args;
    return lastResult;
  };
}

type Cmp<T> = (a: T, b: T) => number;

// One collator for every comparison: `localeCompare` with options builds a new one per call,
// which at thousands of rows was most of the cost of a sort.
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function text(a: string | null | undefined, b: string | null | undefined): number {
  return collator.compare(a ?? '', b ?? '');
}

/** Null (unknown) values sort last in both directions. */
function sortRows<T>(rows: T[], value: (row: T) => number | string | null, direction: SortDirection, tie: Cmp<T>): T[] {
  const sign = direction === 'asc' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, v: value(row) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) {
        if (a.v !== b.v) return a.v === null ? 1 : -1;
      } else {
        const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : text(String(a.v), String(b.v));
        if (c !== 0) return sign * c;
      }
      return tie(a.row, b.row) || a.index - b.index;
    })
    .map((x) => x.row);
}

function time(iso: string | undefined | null): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) && t > 0 ? t : null;
}

export function selectInstanceMetrics(state: State, key: InstanceKey): InstanceMetrics {
  return computeMetrics(state.samples[key]);
}

/** Snapshots of the instance, or null while unknown. */
export function selectSnapshotCount(state: State, key: InstanceKey): number | null {
  const n = state.snapshotCounts[key];
  return typeof n === 'number' ? n : null;
}

type Pane<P extends PaneId> = State['ui']['panes'][P];

/** Sort columns whose order depends on the state samples (the others ignore them). */
const METRIC_COLUMNS: ReadonlySet<string> = new Set(['cpu', 'memory', 'rx', 'tx', 'processes']);

/**
 * Every instance key in display order. Kept while neither the instances nor the sort change; for
 * the metric columns the samples count too. A poll round (new samples) under the default sort by
 * name therefore re-uses the order, and a filter only walks it.
 */
const sortedInstanceKeys = memoLast(
  (
    instances: State['instances'],
    samples: State['samples'] | null,
    column: Pane<'instances'>['sort']['column'],
    direction: SortDirection,
  ): string[] => {
    const rows = Object.keys(instances).map((key) => ({ key, instance: instances[key] }));
    const value = (r: { key: string; instance: State['instances'][string] }): number | string | null => {
      if (samples) {
        const m = computeMetrics(samples[r.key]);
        switch (column) {
          case 'cpu': return m.cpuPercent;
          case 'memory': return m.memoryBytes;
          case 'rx': return m.rxBytesPerSec;
          case 'tx': return m.txBytesPerSec;
          case 'processes': return m.processes;
        }
      }
      switch (column) {
        case 'status': return r.instance.status;
        // Age ascending = youngest first = latest creation first.
        case 'age': { const t = time(r.instance.created_at); return t === null ? null : -t; }
        default: return r.instance.name;
      }
    };
    return sortRows(rows, value, direction, (a, b) => text(a.instance.name, b.instance.name) || text(a.key, b.key)).map((r) => r.key);
  },
);

/** What the filter matches in an instance (name, status, location, project, remote), lower-cased, once per instance object. */
const searchTexts = new WeakMap<object, string>();
function searchText(instance: State['instances'][string]): string {
  let t = searchTexts.get(instance);
  if (t === undefined) {
    // NUL between the fields: a needle never matches across two of them.
    t = [instance.name, instance.status, instance.location, instance.project, instance.remote]
      .map((f) => (typeof f === 'string' ? f.toLowerCase() : ''))
      .join('\u0000');
    searchTexts.set(instance, t);
  }
  return t;
}

/**
 * Prepares what the filter matches for every instance (once per instance object), so that the
 * first filter keystroke after a list does not pay for 5,000 of them. For an idle moment.
 */
export function warmInstanceSearch(instances: State['instances']): void {
  for (const key in instances) searchText(instances[key]);
}

const rowCache = new WeakMap<object, InstanceRow>();

function matches(row: InstanceRow, needle: string): boolean {
  const ipv4 = row.metrics.ipv4;
  return searchText(row.instance).includes(needle) || (typeof ipv4 === 'string' && ipv4.toLowerCase().includes(needle));
}

/**
 * The filtered rows of the last few needles, for the same instances, samples, sort and marks. Typing
 * narrows: a needle that contains a remembered one only walks that one's rows (every row matching
 * `fake-4` matches `fake-`). Backspace goes back to a remembered needle: the very same array.
 */
const filtered = {
  inputs: null as readonly unknown[] | null,
  byNeedle: new Map<string, InstanceRow[]>(),
};
const REMEMBERED_NEEDLES = 16;

function instanceRows(
  instances: State['instances'],
  samples: State['samples'],
  filter: string,
  sort: Pane<'instances'>['sort'],
  markedKeys: readonly string[],
): InstanceRow[] {
  const inputs = [instances, samples, sort, markedKeys] as const;
  if (!filtered.inputs || filtered.inputs.some((x, i) => x !== inputs[i])) {
    filtered.inputs = inputs;
    filtered.byNeedle = new Map();
  }
  const needle = filter.trim().toLowerCase();
  const known = filtered.byNeedle.get(needle);
  if (known) return known;
  let rows: InstanceRow[];
  let from: InstanceRow[] | undefined;
  for (const [n, r] of filtered.byNeedle) if (n !== '' && needle.includes(n) && (!from || r.length < from.length)) from = r;
  if (from) {
    rows = from.filter((row) => matches(row, needle));
  } else {
    const all = filtered.byNeedle.get('') ?? allInstanceRows(instances, samples, sort, markedKeys);
    if (needle === '') rows = all;
    else {
      filtered.byNeedle.set('', all);
      rows = all.filter((row) => matches(row, needle));
    }
  }
  if (filtered.byNeedle.size >= REMEMBERED_NEEDLES) {
    // Forget the oldest, but keep the unfiltered rows (every needle's source).
    for (const n of filtered.byNeedle.keys()) {
      if (n !== '') {
        filtered.byNeedle.delete(n);
        break;
      }
    }
  }
  filtered.byNeedle.set(needle, rows);
  return rows;
}

/** The row of `key`: the same object while its instance, metrics and mark are the same. */
function instanceRow(key: string, instance: State['instances'][string], sample: State['samples'][string] | undefined, isMarked: boolean): InstanceRow {
  const metrics = computeMetrics(sample);
  let row = rowCache.get(instance);
  if (!row || row.key !== key || row.metrics !== metrics || row.marked !== isMarked) {
    row = { key, instance, metrics, marked: isMarked };
    rowCache.set(instance, row);
  }
  return row;
}

/** Where each key is in a sorted key list (once per list). */
const keyIndexes = new WeakMap<readonly string[], Map<string, number>>();
function indexOfKeys(keys: readonly string[]): Map<string, number> {
  let index = keyIndexes.get(keys);
  if (!index) {
    index = new Map(keys.map((k, i) => [k, i]));
    keyIndexes.set(keys, index);
  }
  return index;
}

/** The last unfiltered rows, and what they were made from. */
let lastAll: {
  keys: readonly string[];
  instances: State['instances'];
  samples: State['samples'];
  markedKeys: readonly string[];
  rows: InstanceRow[];
} | null = null;

/**
 * Every instance row in display order. A poll round changes the samples of the rows on screen
 * only: when nothing else changed (same order, instances, marks), the previous rows are copied and
 * the rows of the instances whose samples changed are replaced.
 */
function allInstanceRows(
  instances: State['instances'],
  samples: State['samples'],
  sort: Pane<'instances'>['sort'],
  markedKeys: readonly string[],
): InstanceRow[] {
  const keys = sortedInstanceKeys(instances, METRIC_COLUMNS.has(sort.column) ? samples : null, sort.column, sort.direction);
  const last = lastAll;
  if (last && last.keys === keys && last.instances === instances && last.markedKeys === markedKeys) {
    if (last.samples === samples) return last.rows;
    const index = indexOfKeys(keys);
    const marked = new Set(markedKeys);
    const rows = last.rows.slice();
    const update = (key: string) => {
      const i = index.get(key);
      if (i !== undefined) rows[i] = instanceRow(key, instances[key], samples[key], marked.has(key));
    };
    for (const key in samples) if (samples[key] !== last.samples[key]) update(key);
    for (const key in last.samples) if (!(key in samples)) update(key);
    lastAll = { ...last, samples, rows };
    return rows;
  }
  const marked = new Set(markedKeys);
  const rows: InstanceRow[] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    rows[i] = instanceRow(key, instances[key], samples[key], marked.has(key));
  }
  lastAll = { keys, instances, samples, markedKeys, rows };
  return rows;
}

/** Instance rows after the pane's filter and sort. */
export function selectInstanceRows(state: State): InstanceRow[] {
  const p = state.ui.panes.instances;
  return instanceRows(state.instances, state.samples, p.filter, p.sort, p.marked);
}

const statusCounts = memoLast((instances: State['instances']): StatusCounts => {
  const counts = { total: 0 } as StatusCounts;
  for (const i of Object.values(instances)) {
    const s = i.status || 'Unknown';
    counts[s] = (counts[s] ?? 0) + 1;
    counts.total += 1;
  }
  return counts;
});

/** Instances by status over all instances (not the filtered rows), plus `total`. */
export function selectStatusCounts(state: State): StatusCounts {
  return statusCounts(state.instances);
}

export function imageAlias(image: Image): string {
  return Array.isArray(image.aliases) && image.aliases[0]?.name ? image.aliases[0].name : '';
}

/** How an image is named in titles and messages: its first alias, else its fingerprint's first 12 characters. */
export function imageLabel(image: Image | undefined, fingerprint: string): string {
  return (image && imageAlias(image)) || fingerprint.slice(0, 12);
}

export function imageOs(image: Image): string {
  const p = image.properties ?? {};
  return [p.os, p.release].filter((x) => typeof x === 'string' && x !== '').join(' ');
}

const imageRows = memoLast((images: State['images'], filter: string, sort: Pane<'images'>['sort'], markedKeys: readonly string[]): ImageRow[] => {
  const marked = new Set(markedKeys);
  const needle = filter.trim().toLowerCase();
  let rows: ImageRow[] = Object.entries(images).map(([key, image]) => ({
    key,
    image,
    alias: imageAlias(image),
    os: imageOs(image),
    marked: marked.has(key),
  }));
  if (needle) {
    rows = rows.filter((r) =>
      [r.alias, r.os, r.image.fingerprint, r.image.architecture, r.image.properties?.description, r.image.type]
        .concat((r.image.aliases ?? []).map((a) => a?.name))
        .some((f) => typeof f === 'string' && f.toLowerCase().includes(needle)),
    );
  }
  const { column, direction } = sort;
  const value = (r: ImageRow): number | string | null => {
    switch (column) {
      case 'fingerprint': return r.image.fingerprint;
      case 'os': return r.os || null;
      case 'size': return typeof r.image.size === 'number' ? r.image.size : null;
      case 'created': return time(r.image.created_at) ?? time(r.image.uploaded_at);
      case 'type': return r.image.type;
      default: return r.alias || null;
    }
  };
  return sortRows(rows, value, direction, (a, b) => text(a.alias, b.alias) || text(a.key, b.key));
});

export function selectImageRows(state: State): ImageRow[] {
  const p = state.ui.panes.images;
  return imageRows(state.images, p.filter, p.sort, p.marked);
}

/** `/1.0/instances/x?project=p` → `x`. */
function resourceName(url: string): string {
  const path = url.split('?')[0];
  const last = path.split('/').filter(Boolean).pop() ?? url;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

function operationInstances(op: Operation): string[] {
  const list = op.resources?.instances ?? op.resources?.containers ?? [];
  return Array.isArray(list) ? [...new Set(list.filter((u) => typeof u === 'string').map(resourceName))] : [];
}

const operationRows = memoLast((operations: State['operations'], filter: string, sort: Pane<'operations'>['sort']): OperationRow[] => {
  const needle = filter.trim().toLowerCase();
  let rows: OperationRow[] = Object.entries(operations).map(([key, tracked]) => ({
    key,
    tracked,
    instances: operationInstances(tracked.operation),
    progress: operationProgress(tracked.operation.metadata),
  }));
  if (needle) {
    rows = rows.filter((r) =>
      [r.tracked.operation.description, r.tracked.operation.status, r.tracked.operation.err, r.key, ...r.instances].some(
        (f) => typeof f === 'string' && f.toLowerCase().includes(needle),
      ),
    );
  }
  const { column, direction } = sort;
  const value = (r: OperationRow): number | string | null => {
    const op = r.tracked.operation;
    switch (column) {
      case 'status': return op.status;
      case 'description': return op.description;
      case 'class': return op.class;
      default: return time(op.created_at) ?? r.tracked.firstSeenAt;
    }
  };
  return sortRows(rows, value, direction, (a, b) => text(a.key, b.key));
});

export function selectOperationRows(state: State): OperationRow[] {
  const p = state.ui.panes.operations;
  return operationRows(state.operations, p.filter, p.sort);
}

/** The keys of a row list, once per list (the lists are memoised, and read-only). */
const rowKeys = new WeakMap<readonly { key: string }[], string[]>();
function keysOf(rows: readonly { key: string }[]): string[] {
  let keys = rowKeys.get(rows);
  if (!keys) {
    keys = rows.map((r) => r.key);
    rowKeys.set(rows, keys);
  }
  return keys;
}

/** The keys of the pane's rows, in display order (shared: do not modify). */
export function selectRowKeys(state: State, pane: PaneId): string[] {
  if (pane === 'images') return keysOf(selectImageRows(state));
  if (pane === 'operations') return keysOf(selectOperationRows(state));
  if (pane === 'sessions') return keysOf(selectSessionRows(state));
  return keysOf(selectInstanceRows(state));
}

/** The selected key if that row is visible, else the first row's, else null. */
export function selectSelectedKey(state: State, pane: PaneId): string | null {
  const keys = selectRowKeys(state, pane);
  const selected = state.ui.panes[pane].selected;
  if (selected !== null && keys.includes(selected)) return selected;
  return keys[0] ?? null;
}

/** What a bulk action acts on: the marked rows still present, else the selected row. */
export function selectTargetKeys(state: State, pane: PaneId): string[] {
  const present = new Set(selectRowKeys(state, pane));
  const marked = state.ui.panes[pane].marked.filter((k) => present.has(k));
  if (marked.length) return marked;
  const sel = selectSelectedKey(state, pane);
  return sel === null ? [] : [sel];
}

/** The banner text while reconnecting, else null. */
export function selectBanner(state: State): string | null {
  const c = state.connection;
  if (c.rest === 'down') return `Connection lost: ${c.lastError ?? 'server unreachable'} — reconnecting…`;
  if (c.eventsLost) return `Event stream lost${c.eventsError ? `: ${c.eventsError}` : ''} — reconnecting…`;
  return null;
}

/** The session's state in words: `detached`, `exited (0)`, `lost: why`. */
export function sessionStateText(s: SessionRow): string {
  if (s.state === 'exited') return s.exitCode === null ? `exited: ${s.reason}` : `exited (${s.exitCode})`;
  if (s.state === 'lost') return `lost: ${s.reason}`;
  return s.state;
}

const sessionRows = memoLast((sessions: State['sessions'], filter: string, sort: Pane<'sessions'>['sort']): (SessionRow & { key: string })[] => {
  const needle = filter.trim().toLowerCase();
  let rows = Object.values(sessions).map((s) => ({ ...s, key: s.id }));
  if (needle) rows = rows.filter((r) => [r.id, r.name, r.instance, r.remote, r.project, r.command, sessionStateText(r)].some((f) => f.toLowerCase().includes(needle)));
  const value = (r: SessionRow): number | string | null => {
    switch (sort.column) {
      case 'instance': return r.instance;
      case 'state': return r.state;
      case 'output': return r.lastOutput;
      default: return r.started;
    }
  };
  return sortRows(rows, value, sort.direction, (a, b) => Number(a.id) - Number(b.id));
});

export function selectSessionRows(state: State): (SessionRow & { key: string })[] {
  const p = state.ui.panes.sessions;
  return sessionRows(state.sessions, p.filter, p.sort);
}
