// The resources views: 6 profiles, 7 networks, 8 storage pools (Enter on a pool: its volumes). A
// list is read when its view opens and again on each lifecycle event of its kind (the controller's
// one event stream: nothing polled). Enter or i shows the object as YAML, c edits it in $EDITOR, n
// asks a name and creates one, d asks, then deletes; the server's refusal ("in use") in its words.
import type { CommandId } from '../keys/registry.js';
import type { EditTarget } from '../lxd/editable.js';
import { editTarget, type ResourceKind } from '../lxd/resources.js';
import type { ResourcesPort } from '../store/resources.js';
import { clampSelection, RESOURCE_NOUN, resourceDetailLines, type ResourcesDialog } from '../views/resources.js';
import { closeDialog, openDialog, status, type AppContext } from './context.js';
import { editInEditor } from './edit-flow.js';
import { listMoves } from './list-keys.js';

declare module '../store/dialogs.js' {
  interface PromptIntents {
    /** The name of a new profile, network, pool or (in `pool`) volume. */
    'resource-new': { what: ResourceKind; pool?: string };
  }
  interface ConfirmIntents {
    'resource-delete': { what: ResourceKind; target: EditTarget };
  }
}

const NEW_HINTS: Record<ResourceKind, string> = {
  profiles: 'an empty profile; key=value words set its config',
  networks: 'a bridge; key=value words set its config (ipv4.address=none where no subnet is free)',
  pools: 'driver dir in the daemon\'s own directory; key=value words set its config (source=/path)',
  volumes: 'a custom filesystem volume; key=value words set its config (size=1GiB)',
};

const page = (ctx: AppContext): number => Math.max(1, ctx.pageSize() - 1);
const watched = new WeakSet<ResourcesPort>();

function current(ctx: AppContext, what: ResourceKind, pool?: string): ResourcesDialog | null {
  const d = ctx.store.getState().ui.dialog;
  return d?.kind === 'resources' && d.what === what && d.pool === pool ? d : null;
}

/** Opens (or reopens, keeping the selection) the list of `what`, then reads it; `focus`: the row to select by name. */
export function openResources(ctx: AppContext, what: ResourceKind, pool?: string, focus?: string): void {
  const port = ctx.controller.resources;
  if (!port || ctx.store.getState().fleet) {
    status(ctx, `${RESOURCE_NOUN[what]}s: open one remote (the fleet view has no ${RESOURCE_NOUN[what]} list)`, 'error');
    return;
  }
  if (!watched.has(port)) {
    watched.add(port);
    // The open view, whichever it is, reads its list again when the daemon says it changed.
    port.watch((kind) => {
      const d = ctx.store.getState().ui.dialog;
      if (d?.kind === 'resources' && d.what === kind) reload(ctx, d.what, d.pool);
    });
  }
  const prior = current(ctx, what, pool);
  openDialog(ctx, { kind: 'resources', what, ...(pool ? { pool } : {}), loading: true, error: null, items: prior?.items ?? [], selected: prior?.selected ?? 0, scroll: prior?.scroll ?? 0 });
  void load(ctx, what, pool, focus);
}

/** A list being read again for an event: events meanwhile make one more read after it, not one each. */
const reloading = new Map<string, 'busy' | 'again'>();

function reload(ctx: AppContext, what: ResourceKind, pool?: string): void {
  const key = `${what}/${pool ?? ''}`;
  if (reloading.has(key)) {
    reloading.set(key, 'again');
    return;
  }
  reloading.set(key, 'busy');
  void load(ctx, what, pool).finally(() => {
    const again = reloading.get(key) === 'again';
    reloading.delete(key);
    if (again) reload(ctx, what, pool);
  });
}

async function load(ctx: AppContext, what: ResourceKind, pool?: string, focus?: string): Promise<void> {
  const port = ctx.controller.resources;
  if (!port) return;
  let items: Awaited<ReturnType<ResourcesPort['list']>> | null = null;
  let error: string | null = null;
  try {
    items = await port.list(what, pool);
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  const d = current(ctx, what, pool);
  if (!d) return;
  if (items === null) return openDialog(ctx, { ...d, loading: false, error });
  const named = focus === undefined ? -1 : items.findIndex((r) => r.name === focus);
  openDialog(ctx, { ...d, loading: false, error: null, items, ...clampSelection(named >= 0 ? named : d.selected, d.scroll, items.length, page(ctx)) });
}

type ResourcesAction = (ctx: AppContext, d: ResourcesDialog) => void;

function move(to: (at: number, page: number, total: number) => number): ResourcesAction {
  return (ctx, d) => {
    if (d.items.length === 0) return;
    const wanted = to(d.selected, page(ctx), d.items.length);
    openDialog(ctx, { ...d, ...clampSelection(wanted, d.scroll, d.items.length, page(ctx)) });
  };
}

/** The selected row's object, or null (with why in the status line). */
function selectedTarget(ctx: AppContext, d: ResourcesDialog, doing: string): EditTarget | null {
  const row = d.items[d.selected];
  if (!row) {
    status(ctx, `${doing}: no ${RESOURCE_NOUN[d.what]} selected`, 'error');
    return null;
  }
  const target = editTarget(d.what, row, d.pool);
  if (!target) status(ctx, `${doing}: ${row.name} is a ${row.type} volume: only custom volumes are ${doing === 'details' ? 'shown here' : 'changed here'}`, 'error');
  return target;
}

function showDetail(ctx: AppContext, d: ResourcesDialog): void {
  const target = selectedTarget(ctx, d, 'details');
  const port = ctx.controller.resources;
  if (!target || !port) return;
  const title = `${RESOURCE_NOUN[d.what]} ${d.pool ? `${d.pool}/` : ''}${target.name}`;
  const detail = { kind: 'history', id: title, title, loading: true, error: null, lines: [], scroll: 0, back: d } as const;
  openDialog(ctx, detail);
  void port.read(target).then(
    (object) => reopenDetail(ctx, title, { loading: false, lines: resourceDetailLines(object) }),
    (err: unknown) => reopenDetail(ctx, title, { loading: false, error: err instanceof Error ? err.message : String(err) }),
  );
}

function reopenDetail(ctx: AppContext, id: string, change: { loading: boolean; lines?: string[]; error?: string }): void {
  const d = ctx.store.getState().ui.dialog;
  if (d?.kind === 'history' && d.id === id) openDialog(ctx, { ...d, ...change });
}

/** Toggles between the lists: the same key closes its own. */
const switchTo =
  (what: ResourceKind): ResourcesAction =>
  (ctx, d) =>
    d.what === what || (what === 'pools' && d.what === 'volumes') ? closeDialog(ctx) : openResources(ctx, what);

export const RESOURCES_KEYS = {
  ...listMoves(move),
  'resource-open': (ctx, d) => {
    const row = d.items[d.selected];
    if (d.what === 'pools' && row) return openResources(ctx, 'volumes', row.name);
    showDetail(ctx, d);
  },
  'resource-detail': showDetail,
  edit: (ctx, d) => {
    const target = selectedTarget(ctx, d, 'edit');
    if (target) editInEditor(ctx, target);
  },
  'resource-new': (ctx, d) => {
    const where = d.what === 'volumes' ? ` in pool ${d.pool}` : '';
    openDialog(ctx, { kind: 'prompt', title: `New ${RESOURCE_NOUN[d.what]}${where}`, label: 'Name [key=value…]', value: '', error: null, back: d, hint: NEW_HINTS[d.what], intent: { command: 'resource-new', what: d.what, ...(d.pool ? { pool: d.pool } : {}) } });
  },
  'resource-delete': (ctx, d) => {
    const target = selectedTarget(ctx, d, 'delete');
    if (!target) return;
    const row = d.items[d.selected];
    const used = row && row.usedBy > 0 ? ` It is used by ${row.usedBy}: the server will likely refuse.` : '';
    openDialog(ctx, { kind: 'confirm', title: `Delete ${RESOURCE_NOUN[d.what]} ${target.name}`, message: `Delete ${RESOURCE_NOUN[d.what]} ${d.pool ? `${d.pool}/` : ''}${target.name}? This cannot be undone.${used}`, dangerous: true, back: d, intent: { command: 'resource-delete', what: d.what, target } });
  },
  profiles: switchTo('profiles'),
  networks: switchTo('networks'),
  storage: switchTo('pools'),
  // Out of a pool's volumes: back to the pools, on that pool.
  'dialog-cancel': (ctx, d) => {
    if (d.what !== 'volumes') return closeDialog(ctx);
    openResources(ctx, 'pools', undefined, d.pool);
  },
} satisfies Record<string, ResourcesAction> & Partial<Record<CommandId, ResourcesAction>>;

/** The name typed for `resource-new`: created, then the view back (the event reloads it too). */
export function acceptResourceNew(ctx: AppContext, intent: { what: ResourceKind; pool?: string }, value: string): void {
  const port = ctx.controller.resources;
  const parsed = parseNewResource(value);
  if (!port || 'error' in parsed) return;
  const { name, config } = parsed;
  openResources(ctx, intent.what, intent.pool, name);
  status(ctx, `Creating ${RESOURCE_NOUN[intent.what]} ${name}…`);
  void port.create(intent.what, name, intent.pool, config).then(() => {
    if (current(ctx, intent.what, intent.pool)) void load(ctx, intent.what, intent.pool, name);
  });
}

export function acceptResourceDelete(ctx: AppContext, intent: { what: ResourceKind; target: EditTarget }): void {
  const port = ctx.controller.resources;
  const pool = intent.target.pool;
  openResources(ctx, intent.what, intent.what === 'volumes' ? pool : undefined);
  if (!port) return;
  status(ctx, `Deleting ${RESOURCE_NOUN[intent.what]} ${intent.target.name}…`);
  void port.remove(intent.target).then(() => {
    const d = current(ctx, intent.what, intent.what === 'volumes' ? pool : undefined);
    if (d) void load(ctx, d.what, d.pool);
  });
}

/** `NAME [key=value…]`: the name, then config keys (the daemon says more when it refuses one). */
export function parseNewResource(value: string): { name: string; config: Record<string, string> } | { error: string } {
  const [name = '', ...words] = value.trim().split(/\s+/);
  if (!name) return { error: 'A name is needed' };
  if (name.includes('/') || name.includes('=')) return { error: 'A name cannot contain "/" or "="' };
  const config: Record<string, string> = {};
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq <= 0) return { error: `"${w}" is not key=value` };
    config[w.slice(0, eq)] = w.slice(eq + 1);
  }
  return { name, config };
}

export function validateResourceName(value: string): string | null {
  const parsed = parseNewResource(value);
  return 'error' in parsed ? parsed.error : null;
}
