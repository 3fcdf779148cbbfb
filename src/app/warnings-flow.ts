// The warnings view (W): j/k move the selection, a acknowledges the selected warning (or sets an
// acknowledged one back to new), d asks, then deletes it. Both change the server: refused here in
// read-only mode (the registry marks them mutating, so they are hidden from hints and help too).
import { command, isAllowed, type CommandId } from '../keys/registry.js';
import type { Warning } from '../lxd/host.js';
import { shownWarnings, type WarningsDialog } from '../views/warnings.js';
import { closeDialog, openDialog, status, type AppContext } from './context.js';
import { listMoves } from './list-keys.js';

const page = (ctx: AppContext): number => Math.max(1, ctx.pageSize() - 1);

export function openWarnings(ctx: AppContext, selected = 0): void {
  if (ctx.store.getState().fleet) {
    status(ctx, 'Warnings: open one remote (the fleet view has no warnings list)', 'error');
    return;
  }
  const server = ctx.store.getState().server;
  if (server && !server.apiExtensions.includes('warnings')) {
    status(ctx, 'This server has no warnings (API extension "warnings" missing)', 'error');
    return;
  }
  void ctx.controller.refreshWarnings?.();
  openDialog(ctx, { kind: 'warnings', selected, scroll: Math.max(0, selected - page(ctx) + 1) });
}

type WarningsAction = (ctx: AppContext, d: WarningsDialog) => void;

function move(next: (at: number, page: number, total: number) => number): WarningsAction {
  return (ctx, d) => {
    const total = shownWarnings(ctx.store.getState().warnings).length;
    if (total === 0) return;
    const p = page(ctx);
    const selected = Math.max(0, Math.min(total - 1, next(d.selected, p, total)));
    const scroll = selected < d.scroll ? selected : selected >= d.scroll + p ? selected - p + 1 : d.scroll;
    openDialog(ctx, { ...d, selected, scroll });
  };
}

/** The selected warning, or null (with why in the status line); null too in read-only mode. */
function target(ctx: AppContext, d: WarningsDialog, id: CommandId): Warning | null {
  const state = ctx.store.getState();
  if (!isAllowed(command(id), state.readOnly)) {
    status(ctx, `Read-only mode: ${command(id).description.split(' (')[0].toLowerCase()} refused`, 'error');
    return null;
  }
  const w = shownWarnings(state.warnings)[d.selected];
  if (!w) status(ctx, 'warnings: none selected', 'error');
  return w ?? null;
}

const acknowledge: WarningsAction = (ctx, d) => {
  const w = target(ctx, d, 'warning-ack');
  if (!w) return;
  status(ctx, `${w.status === 'acknowledged' ? 'Setting back to new' : 'Acknowledging'}: ${w.type}…`);
  void ctx.controller.setWarningStatus?.(w.uuid, w.status === 'acknowledged' ? 'new' : 'acknowledged');
};

const askDelete: WarningsAction = (ctx, d) => {
  const w = target(ctx, d, 'warning-delete');
  if (!w) return;
  openDialog(ctx, {
    kind: 'confirm',
    title: 'Delete warning',
    message: `Delete the warning "${w.type}"${w.location ? ` on ${w.location}` : ''}? The server raises it again if the cause remains.`,
    dangerous: true,
    back: d,
    intent: { command: 'warning-delete', uuid: w.uuid, selected: d.selected },
  });
};

/** The confirmed delete: the warning goes, the view comes back where it was. */
export function deleteWarning(ctx: AppContext, uuid: string, selected: number): void {
  status(ctx, 'Deleting the warning…');
  openWarnings(ctx, selected);
  void ctx.controller.deleteWarning?.(uuid).then(() => {
    const d = ctx.store.getState().ui.dialog;
    const total = shownWarnings(ctx.store.getState().warnings).length;
    if (d?.kind === 'warnings' && d.selected >= total && total > 0) openDialog(ctx, { ...d, selected: total - 1 });
  });
}

export const WARNINGS_KEYS = {
  ...listMoves(move),
  'warning-ack': acknowledge,
  'warning-delete': askDelete,
  warnings: (ctx) => closeDialog(ctx),
  'dialog-cancel': (ctx) => closeDialog(ctx),
  'dialog-close': (ctx) => closeDialog(ctx),
} satisfies Record<string, WarningsAction>;
