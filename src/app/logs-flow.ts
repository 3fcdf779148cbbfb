// The logs view (l on an instance): opens on the end of the log (what happened last), reads what
// is added once a second while following (f), and searches as less does (/, n, N). The lines live
// in the store's dialog; a follower reads only while its dialog is open and following.
import type { LogsDialog } from '../views/logs.js';
import { appendLines, endScroll, findMatch, scrollTo, splitLines } from '../views/logs.js';
import type { LogKind } from '../store/logs.js';
import type { InstanceKey } from '../store/index.js';
import { closeDialog, openDialog, status, type AppContext } from './context.js';
import { selectedInstance } from './flows.js';
import { overlapOf, readNew, type FollowPoint } from './logs-cli.js';

/** A log longer than this shows its end first, then the whole. */
export const TAIL_BYTES = 256 * 1024;

/** How often a followed log is read again. */
export const FOLLOW_MS = 1000;

let opens = 0;

function current(ctx: AppContext, id: number): LogsDialog | null {
  const d = ctx.store.getState().ui.dialog;
  return d?.kind === 'logs' && d.id === id ? d : null;
}

const page = (ctx: AppContext): number => Math.max(1, ctx.pageSize());

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Opens the logs view on `key` (default: the selected instance). */
export function openLogs(ctx: AppContext, which: LogKind = 'log', key: InstanceKey | null = selectedInstance(ctx, 'logs'), follow = false): void {
  if (!key) return;
  const read = ctx.controller.instanceLog?.(key, which);
  if (!read) {
    status(ctx, 'logs: this connection cannot read logs', 'error');
    return;
  }
  const id = ++opens;
  openDialog(ctx, { kind: 'logs', key, which, file: '', id, loading: true, error: null, lines: [], scroll: 0, follow, query: '', searching: false, match: -1 });
  void (async () => {
    let at: FollowPoint;
    let open: boolean;
    try {
      // A large log: its end first (what happened last, on screen at once), then the whole. A
      // small one comes whole in that first read.
      let first = await read(which === 'log' ? -TAIL_BYTES : 0);
      if (first.from > 0) {
        const d = current(ctx, id);
        if (!d) return;
        const lines = splitLines(first.text).slice(1); // the first line is cut
        openDialog(ctx, { ...d, file: first.file, lines, scroll: endScroll(lines.length, page(ctx)) });
        first = await read(0);
      }
      const d = current(ctx, id);
      if (!d) return;
      const lines = splitLines(first.text);
      const bytes = Buffer.from(first.text);
      at = { size: bytes.length, tail: overlapOf(bytes) };
      open = first.text !== '' && !first.text.endsWith('\n');
      // Where the user is, counted from the end, stays (the lines before it came in).
      const fromEnd = d.lines.length - d.scroll;
      const scroll = d.lines.length === 0 ? endScroll(lines.length, page(ctx)) : Math.max(0, lines.length - fromEnd);
      const match = d.match === -1 ? -1 : d.match + lines.length - d.lines.length;
      openDialog(ctx, { ...d, loading: false, file: first.file, lines, scroll, match });
    } catch (err) {
      const d = current(ctx, id);
      if (d) openDialog(ctx, { ...d, loading: false, error: errorText(err) });
      return;
    }
    // Following: one read a second while the view is open and follows; nothing otherwise.
    while (current(ctx, id)) {
      await new Promise((resolve) => setTimeout(resolve, FOLLOW_MS));
      if (!current(ctx, id)?.follow) continue;
      try {
        const next = await readNew(read, at, which === 'console');
        const d = current(ctx, id);
        if (!d) return;
        at = next.at;
        if (next.text === '' && !next.reset) continue;
        const lines = next.reset ? splitLines(next.text) : appendLines(d.lines, next.text, open);
        open = next.text !== '' ? !next.text.endsWith('\n') : open;
        openDialog(ctx, { ...d, lines, error: null, scroll: d.follow ? endScroll(lines.length, page(ctx)) : d.scroll });
      } catch (err) {
        // The instance restarting rewrites its log: say so, and keep trying.
        const d = current(ctx, id);
        if (d) openDialog(ctx, { ...d, error: errorText(err) });
      }
    }
  })();
}

type LogAction = (ctx: AppContext, d: LogsDialog) => void;

/** Scrolls; leaving the end stops following. */
function scroll(next: (at: number, page: number, total: number) => number): LogAction {
  return (ctx, d) => {
    const p = page(ctx);
    const max = endScroll(d.lines.length, p);
    const to = Math.max(0, Math.min(max, next(d.scroll, p, d.lines.length)));
    openDialog(ctx, { ...d, scroll: to, follow: d.follow && to === max });
  };
}

/** Moves to the next (or previous) match of the query, from `from`. */
function seek(ctx: AppContext, d: LogsDialog, query: string, from: number, dir: 1 | -1): void {
  const match = findMatch(d.lines, query, from, dir);
  const to = match === -1 ? d.scroll : scrollTo(match, d.scroll, page(ctx), d.lines.length);
  openDialog(ctx, { ...d, query, match, scroll: to, follow: d.follow && match === -1 });
}

function editQuery(edit: (q: string) => string): LogAction {
  return (ctx, d) => {
    const query = edit(d.query);
    if (query === d.query) return;
    // From the top of the page, as the search started there: typing narrows, it does not skip.
    seek(ctx, d, query, d.scroll, 1);
  };
}

/** The logs view's keys (handle-key.ts binds them through the registry). */
export const LOGS_KEYS = {
  up: scroll((at) => at - 1),
  down: scroll((at) => at + 1),
  'page-up': scroll((at, p) => at - p),
  'page-down': scroll((at, p) => at + p),
  top: scroll(() => 0),
  bottom: scroll((_at, _p, total) => total),
  'log-search': (ctx, d) => openDialog(ctx, { ...d, searching: true, query: '', match: -1 }),
  'log-next': (ctx, d) => seek(ctx, d, d.query, d.match === -1 ? d.scroll : d.match + 1, 1),
  'log-prev': (ctx, d) => seek(ctx, d, d.query, d.match === -1 ? d.scroll : d.match - 1, -1),
  'log-follow': (ctx, d) => openDialog(ctx, { ...d, follow: !d.follow, scroll: d.follow ? d.scroll : endScroll(d.lines.length, page(ctx)) }),
  'log-console': (ctx, d) => openLogs(ctx, d.which === 'console' ? 'log' : 'console', d.key, d.follow),
  'dialog-cancel': (ctx) => closeDialog(ctx),
  'dialog-close': (ctx) => closeDialog(ctx),
} satisfies Record<string, LogAction>;

/** Typing the search (`/`): each key moves to the first match from the page's top. */
export const LOG_SEARCH_KEYS = {
  'dialog-accept': (ctx, d) => openDialog(ctx, { ...d, searching: false }),
  'dialog-cancel': (ctx, d) => openDialog(ctx, { ...d, searching: false, query: '', match: -1 }),
  'dialog-erase': editQuery(() => ''),
  'erase-char': editQuery((q) => q.slice(0, -1)),
  'erase-word': editQuery((q) => q.replace(/\S+\s*$/, '')),
} satisfies Record<string, LogAction>;

export const typeInSearch = (text: string): LogAction => editQuery((q) => q + text);
