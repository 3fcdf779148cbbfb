// The snapshots view (z on an instance): its snapshots newest first, read when it opens and again
// after each change made from it; n, r, m, d, s and x ask (a prompt or a confirmation) and come
// back to the list, which shows the result once the daemon has done it.
import { parseInstanceKey, type InstanceKey } from '../store/index.js';
import { defaultSnapshotName } from '../views/format.js';
import { sortSnapshots, type SnapshotsDialog } from '../views/snapshots.js';
import { closeDialog, openDialog, type AppContext } from './context.js';
import { selectedInstance } from './selection.js';
import { listMoves } from './list-keys.js';
import { askCopy, askPublish } from './copy-flow.js';

const page = (ctx: AppContext): number => Math.max(1, ctx.pageSize() - 2);

function current(ctx: AppContext, key: InstanceKey): SnapshotsDialog | null {
  const d = ctx.store.getState().ui.dialog;
  return d?.kind === 'snapshots' && d.key === key ? d : null;
}

/** Opens (or reopens, keeping the selection) the view on `key`, then reads its snapshots. */
export function openSnapshots(ctx: AppContext, key: InstanceKey | null = selectedInstance(ctx, 'snapshots'), selected = 0): void {
  if (!key) return;
  openDialog(ctx, { kind: 'snapshots', key, loading: true, error: null, items: [], selected, scroll: 0 });
  void load(ctx, key);
}

async function load(ctx: AppContext, key: InstanceKey): Promise<void> {
  const items = await ctx.controller.listSnapshots(key);
  const d = current(ctx, key);
  if (!d) return;
  if (items === null) {
    openDialog(ctx, { ...d, loading: false, error: 'the snapshots could not be read (the status line says why)' });
    return;
  }
  const sorted = sortSnapshots(items);
  const selected = Math.max(0, Math.min(d.selected, sorted.length - 1));
  openDialog(ctx, { ...d, loading: false, error: null, items: sorted, selected, scroll: scrollFor(selected, d.scroll, page(ctx)) });
}

/** After a change asked from the view: the view back at once, read again when the change is done. */
export function backToSnapshots(ctx: AppContext, key: InstanceKey, change: Promise<unknown>): void {
  const selected = 0;
  openSnapshots(ctx, key, selected);
  void change.finally(() => {
    if (current(ctx, key)) void load(ctx, key);
  });
}

function scrollFor(selected: number, scroll: number, page: number): number {
  if (selected < scroll) return selected;
  if (selected >= scroll + page) return selected - page + 1;
  return scroll;
}

type SnapshotsAction = (ctx: AppContext, d: SnapshotsDialog) => void;

function move(to: (at: number, page: number, total: number) => number): SnapshotsAction {
  return (ctx, d) => {
    if (d.items.length === 0) return;
    const selected = Math.max(0, Math.min(d.items.length - 1, to(d.selected, page(ctx), d.items.length)));
    openDialog(ctx, { ...d, selected, scroll: scrollFor(selected, d.scroll, page(ctx)) });
  };
}

/** The selected snapshot's name, or null (none yet). */
function selectedName(d: SnapshotsDialog): string | null {
  return d.items[d.selected]?.name ?? null;
}

function withSelected(act: (ctx: AppContext, d: SnapshotsDialog, snapshot: string) => void): SnapshotsAction {
  return (ctx, d) => {
    const snapshot = selectedName(d);
    if (snapshot !== null) act(ctx, d, snapshot);
  };
}

const setting = (which: 'schedule' | 'expiry'): SnapshotsAction => (ctx, d) => {
  const config = ctx.store.getState().instances[d.key]?.config ?? {};
  const name = parseInstanceKey(d.key).name;
  const hint = which === 'schedule' ? 'cron (0 3 * * *) or @hourly, @daily, @weekly; empty: none' : '7d, 2w, 1M…; empty: kept for ever';
  openDialog(ctx, { kind: 'prompt', title: `snapshots.${which} of ${name}: ${hint}`, label: which, value: config[`snapshots.${which}`] ?? '', error: null, intent: { command: `snapshot-${which}`, key: d.key } });
};

export const SNAPSHOTS_KEYS = {
  ...listMoves(move),
  'snapshot-new': (ctx, d) => {
    const name = parseInstanceKey(d.key).name;
    openDialog(ctx, { kind: 'prompt', title: `Snapshot ${name}`, label: 'Snapshot name', value: defaultSnapshotName(ctx.now()), error: null, intent: { command: 'snapshot', key: d.key, back: true } });
  },
  'snapshot-restore': withSelected((ctx, d, snapshot) => {
    const name = parseInstanceKey(d.key).name;
    openDialog(ctx, { kind: 'confirm', title: `Restore ${name}`, message: `Restore ${name} to ${snapshot}? What changed since the snapshot is lost.`, dangerous: true, back: d, intent: { command: 'snapshot-restore', key: d.key, snapshot } });
  }),
  'snapshot-delete': withSelected((ctx, d, snapshot) => {
    const name = parseInstanceKey(d.key).name;
    openDialog(ctx, { kind: 'confirm', title: `Delete snapshot ${snapshot}`, message: `Delete snapshot ${snapshot} of ${name}?`, dangerous: true, back: d, intent: { command: 'snapshot-delete', key: d.key, snapshot } });
  }),
  'snapshot-rename': withSelected((ctx, d, snapshot) => {
    openDialog(ctx, { kind: 'prompt', title: `Rename snapshot ${snapshot}`, label: 'New name', value: snapshot, error: null, intent: { command: 'snapshot-rename', key: d.key, snapshot } });
  }),
  'snapshot-schedule': setting('schedule'),
  'snapshot-expiry': setting('expiry'),
  'snapshot-copy': withSelected((ctx, d, snapshot) => void askCopy(ctx, d.key, snapshot)),
  'snapshot-publish': withSelected((ctx, d, snapshot) => askPublish(ctx, d.key, snapshot)),
  snapshots: (ctx) => closeDialog(ctx),
  'dialog-cancel': (ctx) => closeDialog(ctx),
  'dialog-close': (ctx) => closeDialog(ctx),
} satisfies Record<string, SnapshotsAction>;
