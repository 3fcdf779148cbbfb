// The files view (F on an instance): a directory of the instance at a time, read when it opens
// (the names first, then each entry's type, mode, size and owner by HEAD, a few at a time). Enter
// goes into a directory, Backspace / h up; p pulls the file (asks where), u pushes a local file in
// (asks which), e edits a text file in $EDITOR (the terminal handed over), d deletes (asks).
import { basename } from 'node:path';
import { joinPath, parentPath, type FileInfo, type InstanceFiles } from '../lxd/files.js';
import { parseInstanceKey, type InstanceKey } from '../store/index.js';
import { sortFiles, type FileRow, type FilesDialog } from '../views/files.js';
import { formatBytes } from '../views/format.js';
import { closeDialog, openDialog, status, type AppContext } from './context.js';
import { editInstanceFile } from './file-edit.js';
import { localFile, pullToFile, pushFromFile } from './file-transfer.js';
import { listMoves } from './list-keys.js';
import { selectedInstance } from './selection.js';

/** HEADs in flight at once while a directory's entries are described. */
const STAT_CONCURRENCY = 8;
/** Past this many entries, the rest are listed by name only. */
const STAT_LIMIT = 2000;

const page = (ctx: AppContext): number => Math.max(1, ctx.pageSize() - 1);

function current(ctx: AppContext, key: InstanceKey, path: string): FilesDialog | null {
  const d = ctx.store.getState().ui.dialog;
  return d?.kind === 'files' && d.key === key && d.path === path ? d : null;
}

function filesOf(ctx: AppContext, key: InstanceKey): InstanceFiles | null {
  const files = ctx.controller.instanceFiles?.(key) ?? null;
  if (!files) status(ctx, 'files: this connection cannot reach instance files', 'error');
  return files;
}

function scrollFor(selected: number, scroll: number, page: number): number {
  if (selected < scroll) return selected;
  if (selected >= scroll + page) return selected - page + 1;
  return scroll;
}

/** Opens the view on `path` of `key` (the selection on `select` when it is there), then reads it. */
export function openFiles(ctx: AppContext, key: InstanceKey | null = selectedInstance(ctx, 'files'), path = '/', select?: string): void {
  if (!key) return;
  const files = filesOf(ctx, key);
  if (!files) return;
  openDialog(ctx, { kind: 'files', key, path, loading: true, error: null, items: [], selected: 0, scroll: 0 });
  void load(ctx, files, key, path, select);
}

function place(ctx: AppContext, d: FilesDialog, items: FileRow[], select: string | undefined, extra: Partial<FilesDialog>): void {
  const sorted = sortFiles(items);
  // The row under the cursor stays under it as the entries' types come in and re-sort them; the
  // first row stays the first (nothing chosen yet).
  const name = select ?? (d.selected === 0 ? undefined : d.items[d.selected]?.name);
  const at = name === undefined ? -1 : sorted.findIndex((r) => r.name === name);
  const selected = Math.max(0, Math.min(at === -1 ? (name === undefined ? 0 : d.selected) : at, sorted.length - 1));
  openDialog(ctx, { ...d, ...extra, items: sorted, selected, scroll: scrollFor(selected, d.scroll, page(ctx)) });
}

async function load(ctx: AppContext, files: InstanceFiles, key: InstanceKey, path: string, select?: string): Promise<void> {
  let names: string[];
  try {
    names = await files.list(path);
  } catch (err) {
    const d = current(ctx, key, path);
    if (d) openDialog(ctx, { ...d, loading: false, error: (err as Error).message });
    return;
  }
  const rows: FileRow[] = names.map((name) => ({ name, info: null }));
  let d = current(ctx, key, path);
  if (!d) return;
  place(ctx, d, rows, select, { loading: true, error: null });
  // Each entry's HEAD, a few at a time; the view is redrawn as they come (in batches).
  const infos = new Map<string, FileInfo>();
  const todo = names.slice(0, STAT_LIMIT);
  let next = 0;
  let lastDraw = Date.now();
  const draw = (loading: boolean) => {
    d = current(ctx, key, path);
    // The row asked for (the directory just left) stays selected until the cursor moves.
    const keep = d && select !== undefined && d.items[d.selected]?.name === select ? select : undefined;
    if (d) place(ctx, d, d.items.map((r) => ({ name: r.name, info: infos.get(r.name) ?? r.info })), keep, { loading });
  };
  const worker = async () => {
    while (next < todo.length && current(ctx, key, path)) {
      const name = todo[next++];
      const info = await files.stat(joinPath(path, name)).catch(() => null);
      if (info) infos.set(name, info);
      if (Date.now() - lastDraw > 150) {
        lastDraw = Date.now();
        draw(true);
      }
    }
  };
  await Promise.all(Array.from({ length: STAT_CONCURRENCY }, worker));
  draw(false);
}

type FilesAction = (ctx: AppContext, d: FilesDialog) => void;

/** Enter on a symbolic link: into its target when that is a directory (/bin → usr/bin), else say where it points. */
async function followLink(ctx: AppContext, d: FilesDialog, name: string): Promise<void> {
  const files = filesOf(ctx, d.key);
  if (!files) return;
  try {
    const target = joinPath(d.path, await files.readlink(joinPath(d.path, name)));
    const info = await files.stat(target);
    if (info.type === 'directory') return openFiles(ctx, d.key, target);
    status(ctx, `${name} → ${target} (${info.type})`);
  } catch (err) {
    status(ctx, `${name}: ${said(err)}`, 'error');
  }
}

function move(to: (at: number, page: number, total: number) => number): FilesAction {
  return (ctx, d) => {
    if (d.items.length === 0) return;
    const selected = Math.max(0, Math.min(d.items.length - 1, to(d.selected, page(ctx), d.items.length)));
    openDialog(ctx, { ...d, selected, scroll: scrollFor(selected, d.scroll, page(ctx)) });
  };
}

/** The selected entry that is a file (else a word in the status line why not). */
function selectedFile(ctx: AppContext, d: FilesDialog, what: string): FileRow | null {
  const row = d.items[d.selected];
  if (!row) return null;
  const type = row.info?.type ?? null;
  if (type !== null && type !== 'file') {
    status(ctx, `${what}: ${row.name} is a ${type === 'symlink' ? 'symbolic link' : type}, not a file`, 'error');
    return null;
  }
  return row;
}

const reopen = (ctx: AppContext, d: { key: InstanceKey; path: string }, select?: string) => openFiles(ctx, d.key, d.path, select);

export const FILES_KEYS = {
  ...listMoves(move),
  'file-open': (ctx, d) => {
    const row = d.items[d.selected];
    if (!row) return;
    const type = row.info?.type ?? null;
    if (type === 'directory' || type === null) return openFiles(ctx, d.key, joinPath(d.path, row.name));
    if (type === 'symlink') return void followLink(ctx, d, row.name);
    status(ctx, type === 'file' ? `${row.name}: p pulls it, e edits it` : `${row.name} is a ${type}`);
  },
  'file-up': (ctx, d) => {
    if (d.path === '/') return;
    openFiles(ctx, d.key, parentPath(d.path), d.path.slice(d.path.lastIndexOf('/') + 1));
  },
  'file-reload': (ctx, d) => reopen(ctx, d),
  'file-pull': (ctx, d) => {
    const row = selectedFile(ctx, d, 'pull');
    if (!row) return;
    const path = joinPath(d.path, row.name);
    openDialog(ctx, { kind: 'prompt', title: `Pull ${parseInstanceKey(d.key).name}:${path} to`, label: 'Local path', value: `./${row.name}`, error: null, intent: { command: 'file-pull', key: d.key, path, dir: d.path } });
  },
  'file-push': (ctx, d) => {
    openDialog(ctx, { kind: 'prompt', title: `Push a local file into ${parseInstanceKey(d.key).name}:${d.path}`, label: 'Local file', value: '', error: null, intent: { command: 'file-push', key: d.key, dir: d.path } });
  },
  'file-edit': (ctx, d) => {
    const row = selectedFile(ctx, d, 'edit');
    if (!row) return;
    const files = filesOf(ctx, d.key);
    if (!files) return;
    if (!ctx.handOver) return status(ctx, 'edit: this terminal cannot be handed to an editor', 'error');
    const path = joinPath(d.path, row.name);
    const label = `${parseInstanceKey(d.key).name}:${path}`;
    ctx.handOver({
      title: `editing ${label}`,
      run: async () => {
        try {
          return await editInstanceFile(files, path, label);
        } finally {
          reopen(ctx, d, row.name);
        }
      },
    });
  },
  'file-delete': (ctx, d) => {
    const row = selectedFile(ctx, d, 'delete');
    if (!row) return;
    const path = joinPath(d.path, row.name);
    openDialog(ctx, { kind: 'confirm', title: `Delete ${row.name}`, message: `Delete ${parseInstanceKey(d.key).name}:${path}? This cannot be undone.`, dangerous: true, back: d, intent: { command: 'file-delete', key: d.key, path } });
  },
  files: (ctx) => closeDialog(ctx),
  'dialog-cancel': (ctx) => closeDialog(ctx),
} satisfies Record<string, FilesAction>;

/** The prompts' checks before anything is sent (null: fine). */
export function validateFilePrompt(command: 'file-pull' | 'file-push', value: string): string | null {
  if (value.trim() === '') return command === 'file-pull' ? 'Where to? A local path' : 'Which file? A local path';
  if (command === 'file-push') {
    const local = localFile(value.trim());
    if ('error' in local) return local.error;
  }
  return null;
}

const said = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The pull prompt accepted: the view back at once, the file streamed to `local`. */
export function acceptFilePull(ctx: AppContext, intent: { key: InstanceKey; path: string; dir: string }, local: string): void {
  const files = filesOf(ctx, intent.key);
  if (!files) return;
  const name = intent.path.slice(intent.path.lastIndexOf('/') + 1);
  reopen(ctx, { key: intent.key, path: intent.dir }, name);
  const label = `${parseInstanceKey(intent.key).name}:${intent.path}`;
  status(ctx, `Pulling ${label} to ${local}…`);
  // The bytes so far in the status line, twice a second (a large file takes a while).
  let shown = ctx.now();
  const progress = (bytes: number) => {
    if (ctx.now() - shown < 500) return;
    shown = ctx.now();
    status(ctx, `Pulling ${label} to ${local}: ${formatBytes(bytes)}…`);
  };
  pullToFile(files, intent.path, local, undefined, progress).then(
    ({ target, bytes }) => status(ctx, `Pulled ${label} to ${target} (${formatBytes(bytes)})`),
    (err: unknown) => status(ctx, `pull: ${said(err)}`, 'error'),
  );
}

/** The push prompt accepted: the file streamed into the directory, which is read again after. */
export function acceptFilePush(ctx: AppContext, intent: { key: InstanceKey; dir: string }, local: string): void {
  const files = filesOf(ctx, intent.key);
  const file = localFile(local);
  if (!files || 'error' in file) return;
  const name = basename(local);
  const path = joinPath(intent.dir, name);
  const label = `${parseInstanceKey(intent.key).name}:${path}`;
  reopen(ctx, { key: intent.key, path: intent.dir });
  status(ctx, `Pushing ${local} to ${label}…`);
  pushFromFile(files, local, path, { mode: file.mode }).then(
    () => {
      status(ctx, `Pushed ${local} to ${label} (${formatBytes(file.size)})`);
      if (current(ctx, intent.key, intent.dir)) reopen(ctx, { key: intent.key, path: intent.dir }, name);
    },
    (err: unknown) => status(ctx, `push: ${said(err)}`, 'error'),
  );
}

/** The delete confirmed: removed, then the directory read again. */
export function acceptFileDelete(ctx: AppContext, intent: { key: InstanceKey; path: string }): void {
  const files = filesOf(ctx, intent.key);
  if (!files) return;
  const dir = parentPath(intent.path);
  const label = `${parseInstanceKey(intent.key).name}:${intent.path}`;
  reopen(ctx, { key: intent.key, path: dir });
  status(ctx, `Deleting ${label}…`);
  files.remove(intent.path).then(
    () => {
      status(ctx, `Deleted ${label}`);
      if (current(ctx, intent.key, dir)) reopen(ctx, { key: intent.key, path: dir });
    },
    (err: unknown) => status(ctx, `delete: ${said(err)}`, 'error'),
  );
}
