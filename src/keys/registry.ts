// The one command registry. Every key lxtop answers to is declared here once, with where it works
// (a pane, or a view over the panes: help, a confirmation, a prompt…), its help text and its
// hint: the help overlay, the hint bar, the dialogs' footers (footers.ts), the README key table and
// read-only mode are all derived from this list, and the key handlers (src/app/handle-key.ts,
// src/app/commands.ts) are tables keyed by these ids, checked by the compiler: a command without a
// handler, or a handler for an id that is not here, does not build.
import { keyLabel } from './keys.js';

/** Where a command is listed in help and the README: a pane, everywhere, or the dialogs. */
export type Scope = 'global' | 'instances' | 'images' | 'operations' | 'sessions' | 'dialog';
/** The scopes whose commands work in a pane (with no dialog open). */
export type PaneScope = Exclude<Scope, 'dialog'>;

export const SCOPES: readonly Scope[] = ['global', 'instances', 'images', 'operations', 'sessions', 'dialog'];

export const SCOPE_TITLES: Record<Scope, string> = {
  global: 'Everywhere',
  instances: 'Instances pane',
  images: 'Images pane',
  operations: 'Operations pane',
  sessions: 'Sessions pane',
  dialog: 'Dialogs',
};

/**
 * The views over the panes that take the keys while they are open (a dialog is modal). A key no
 * command binds in the open view does nothing. `confirm-force`: a confirmation that only F accepts
 * (deleting a running instance).
 */
export type DialogView = 'help' | 'members' | 'detail' | 'history' | 'confirm' | 'confirm-force' | 'prompt' | 'picker' | 'filter' | 'logs' | 'log-search' | 'events' | 'event-filter' | 'snapshots' | 'warnings' | 'resources' | 'files';

export const DIALOG_VIEWS: readonly DialogView[] = ['help', 'members', 'detail', 'history', 'confirm', 'confirm-force', 'prompt', 'picker', 'filter', 'logs', 'log-search', 'events', 'event-filter', 'snapshots', 'warnings', 'resources', 'files'];

export interface Command {
  id: string;
  /** Default keys, by name (see keys.ts). The first one is shown in hints. */
  keys: readonly string[];
  /** One line for the help overlay and the README. */
  description: string;
  scope: Scope;
  /** Changes something on the server: refused and hidden in read-only mode. */
  mutating?: boolean;
  /** Destroys or interrupts something: asks first, drawn in red in help. */
  dangerous?: boolean;
  /** Short label for the hint bar; commands without one are not hinted. */
  hint?: string;
  /** Hint bar order (lower first; the bar drops the tail when narrow). */
  hintOrder?: number;
  /** The views over the panes this command is bound in (a `dialog` scope command only there). */
  views?: readonly DialogView[];
  /** Where the hint bar offers it, when not in every view it is bound in. */
  hintIn?: readonly DialogView[];
  /** Those of its keys that act in every view and input, before anything else. */
  anywhere?: readonly string[];
  /** Left out of help and the README: a key the open view's footer shows, or obvious in an input. */
  hidden?: boolean;
}

/** Text views: scrolled with the navigation keys, closed with Esc (and n, q, Enter). */
const TEXT_VIEWS = ['help', 'members', 'detail', 'history'] as const;
const CONFIRMS = ['confirm', 'confirm-force'] as const;

export const COMMANDS = [
  // ---- everywhere -----------------------------------------------------------------------
  { id: 'quit', keys: ['q', 'ctrl+c'], anywhere: ['ctrl+c'], description: 'Quit (restores the terminal)', scope: 'global', hint: 'quit', hintOrder: 99 },
  { id: 'help', keys: ['?'], description: 'Show or hide this help', scope: 'global', hint: 'help', hintOrder: 98, views: ['help'] },
  { id: 'pane-next', keys: ['tab'], description: 'Next pane', scope: 'global', hint: 'pane', hintOrder: 90 },
  { id: 'pane-prev', keys: ['shift+tab'], description: 'Previous pane', scope: 'global' },
  { id: 'pane-instances', keys: ['1'], description: 'Instances pane', scope: 'global' },
  { id: 'pane-images', keys: ['2'], description: 'Images pane', scope: 'global' },
  { id: 'pane-operations', keys: ['3'], description: 'Operations pane', scope: 'global' },
  { id: 'pane-sessions', keys: ['5'], description: 'Sessions pane: the consoles kept in the background (they outlive lxtop)', scope: 'global' },
  { id: 'project', keys: ['P'], description: 'Switch project (or all projects)', scope: 'global' },
  { id: 'remote', keys: ['O'], description: 'Switch remote (the lxc, incus and lxtop configuration\'s)', scope: 'global' },
  { id: 'members', keys: ['4'], description: 'Cluster members: name, status, roles, message, URL (clustered servers)', scope: 'global', views: ['members'] },
  { id: 'events', keys: ['E'], description: 'Events: the last 10,000, newest first (/ filters, Enter: the instance)', scope: 'global', hint: 'events', hintOrder: 85, views: ['events'] },
  { id: 'warnings', keys: ['W'], description: 'Warnings: the server\'s (/1.0/warnings), new first; acknowledge, delete', scope: 'global', views: ['warnings'] },
  { id: 'profiles', keys: ['6'], description: 'Profiles of the project: details, edit, new, delete', scope: 'global', views: ['resources'] },
  { id: 'networks', keys: ['7'], description: 'Networks: type, managed, status; details, edit, new, delete', scope: 'global', views: ['resources'] },
  { id: 'storage', keys: ['8'], description: 'Storage pools: driver, status, used/total; Enter: a pool\'s volumes', scope: 'global', views: ['resources'] },
  // In the filter input the arrows leave the input and move in the list (j and k are typed).
  { id: 'up', keys: ['up', 'k'], description: 'Move up', scope: 'global', views: [...TEXT_VIEWS, 'picker', 'filter', 'logs', 'events', 'snapshots', 'warnings', 'resources', 'files'] },
  { id: 'down', keys: ['down', 'j'], description: 'Move down', scope: 'global', views: [...TEXT_VIEWS, 'picker', 'filter', 'logs', 'events', 'snapshots', 'warnings', 'resources', 'files'] },
  { id: 'page-up', keys: ['pageup', 'ctrl+b'], description: 'Page up', scope: 'global', views: [...TEXT_VIEWS, 'picker', 'logs', 'events', 'snapshots', 'warnings', 'resources', 'files'] },
  { id: 'page-down', keys: ['pagedown', 'ctrl+f'], description: 'Page down', scope: 'global', views: [...TEXT_VIEWS, 'picker', 'logs', 'events', 'snapshots', 'warnings', 'resources', 'files'] },
  { id: 'top', keys: ['g', 'home'], description: 'First row', scope: 'global', views: [...TEXT_VIEWS, 'picker', 'logs', 'events', 'snapshots', 'warnings', 'resources', 'files'] },
  { id: 'bottom', keys: ['G', 'end'], description: 'Last row', scope: 'global', views: [...TEXT_VIEWS, 'picker', 'logs', 'events', 'snapshots', 'warnings', 'resources', 'files'] },
  { id: 'filter', keys: ['/'], description: 'Filter the rows (Enter keeps it, Esc restores)', scope: 'global', hint: 'filter', hintOrder: 80 },
  { id: 'sort-next', keys: ['>', '.'], description: 'Sort by the next column', scope: 'global', hint: 'sort', hintOrder: 81 },
  { id: 'sort-prev', keys: ['<', ','], description: 'Sort by the previous column', scope: 'global' },
  { id: 'sort-reverse', keys: ['I'], description: 'Invert the sort order', scope: 'global' },
  { id: 'mark', keys: ['space'], description: 'Mark / unmark the row (actions apply to every marked row)', scope: 'global' },
  { id: 'clear', keys: ['escape'], description: 'Clear the filter and the marks', scope: 'global' },
  { id: 'refresh', keys: ['ctrl+r'], description: 'Re-list everything now', scope: 'global' },

  // ---- instances ------------------------------------------------------------------------
  { id: 'detail', keys: ['enter'], description: 'Details: config, devices, profiles, snapshots, state', scope: 'instances', hint: 'info', hintOrder: 20 },
  { id: 'snapshots', keys: ['z'], description: 'Snapshots: list, new, restore, rename, delete; schedule and expiry', scope: 'instances', hint: 'snaps', hintOrder: 22, views: ['snapshots'] },
  { id: 'files', keys: ['F'], description: "Files: browse the instance's files; pull, push, edit in $EDITOR, delete", scope: 'instances', hint: 'files', hintOrder: 23, views: ['files'] },
  { id: 'history-column', keys: ['H'], description: 'CPU history column on/off (last 12 samples; Enter: 30-minute graphs)', scope: 'instances' },
  { id: 'logs', keys: ['l'], description: 'Logs: the instance\'s lxc.log (qemu.log for a VM) or console log; follow, search', scope: 'instances', hint: 'logs', hintOrder: 21 },
  { id: 'start', keys: ['s'], description: 'Start', scope: 'instances', mutating: true, hint: 'start', hintOrder: 1 },
  { id: 'stop', keys: ['x'], description: 'Stop (graceful)', scope: 'instances', mutating: true, hint: 'stop', hintOrder: 2 },
  { id: 'force-stop', keys: ['X'], description: 'Force stop (kill; asks)', scope: 'instances', mutating: true, dangerous: true, hint: 'kill', hintOrder: 3 },
  { id: 'restart', keys: ['r'], description: 'Restart', scope: 'instances', mutating: true, hint: 'restart', hintOrder: 4 },
  { id: 'freeze', keys: ['f'], description: 'Freeze a running instance / unfreeze a frozen one', scope: 'instances', mutating: true, hint: 'freeze', hintOrder: 5 },
  { id: 'exec', keys: ['e'], description: 'Shell in the instance (exec console; offers to start a stopped one; Enter ~. detaches)', scope: 'instances', mutating: true, hint: 'shell', hintOrder: 6 },
  { id: 'instance-console', keys: ['C'], description: "The instance's console (/dev/console; a VM without its agent), its log first, as a session", scope: 'instances', mutating: true, hint: 'console', hintOrder: 13 },
  { id: 'broadcast', keys: ['B'], description: 'Type into many: a session in each marked instance, keys to all (Esc leaves, they go on)', scope: 'instances', mutating: true, hint: 'type-all', hintOrder: 14 },
  { id: 'exec-command', keys: [':'], description: 'Run a command in the instance (exec console; --user, --group, --cwd, --env may come first)', scope: 'instances', mutating: true, hint: 'run', hintOrder: 12 },
  { id: 'snapshot', keys: ['S'], description: 'Snapshot (asks for a name)', scope: 'instances', mutating: true, hint: 'snap', hintOrder: 7 },
  { id: 'restore', keys: ['R'], description: 'Restore a snapshot (pick one)', scope: 'instances', mutating: true, dangerous: true, hint: 'restore', hintOrder: 8 },
  { id: 'rename', keys: ['m'], description: 'Rename (instance must be stopped)', scope: 'instances', mutating: true, hint: 'rename', hintOrder: 10 },
  { id: 'delete', keys: ['d', 'delete'], description: 'Delete (asks; a running instance needs F to force)', scope: 'instances', mutating: true, dangerous: true, hint: 'delete', hintOrder: 9 },
  { id: 'new', keys: ['n'], description: 'New instance (pick an image, then a name)', scope: 'instances', mutating: true, hint: 'new', hintOrder: 11 },
  { id: 'edit', keys: ['c'], description: 'Edit the configuration in $EDITOR (as lxc config edit; saved with its ETag)', scope: 'instances', mutating: true, hint: 'edit', hintOrder: 14, views: ['resources'] },
  { id: 'knobs', keys: ['K'], description: 'Quick settings: CPU and memory limits, boot.autostart, profiles (ETag-safe)', scope: 'instances', mutating: true, hint: 'knobs', hintOrder: 15 },
  { id: 'copy', keys: ['y'], description: 'Copy (with snapshots) here or onto another remote: pick where, then a name', scope: 'instances', mutating: true, hint: 'copy', hintOrder: 14 },
  { id: 'move', keys: ['M'], description: 'Move a stopped instance to another cluster member (pick one)', scope: 'instances', mutating: true, hint: 'move', hintOrder: 15 },
  { id: 'publish', keys: ['p'], description: 'Publish a stopped instance as an image (asks for an alias)', scope: 'instances', mutating: true, hint: 'publish', hintOrder: 16 },
  { id: 'export', keys: ['b'], description: 'Export a backup to a local file (asks for the path; progress in the status line)', scope: 'instances', mutating: true, hint: 'backup', hintOrder: 17 },
  { id: 'import', keys: ['U'], description: 'Import a backup file as a new instance (asks for the file, then the name)', scope: 'instances', mutating: true, hint: 'import', hintOrder: 18 },

  // ---- images ---------------------------------------------------------------------------
  { id: 'image-new', keys: ['n'], description: 'New instance from this image', scope: 'images', mutating: true, hint: 'launch', hintOrder: 1 },
  { id: 'image-delete', keys: ['d', 'delete'], description: 'Delete the image (asks)', scope: 'images', mutating: true, dangerous: true, hint: 'delete', hintOrder: 2 },

  // ---- operations -----------------------------------------------------------------------
  { id: 'operation-cancel', keys: ['c', 'delete'], description: 'Cancel the operation (where the server allows it)', scope: 'operations', mutating: true, dangerous: true, hint: 'cancel', hintOrder: 1 },

  // ---- sessions -------------------------------------------------------------------------
  { id: 'session-attach', keys: ['enter', 'a'], description: 'Attach to the session (its screen at once; Enter ~. detaches again)', scope: 'sessions', hint: 'attach', hintOrder: 1 },
  { id: 'session-history', keys: ['l'], description: "The session's output so far, scrolled without attaching", scope: 'sessions', hint: 'history', hintOrder: 2 },
  { id: 'session-rename', keys: ['m'], description: 'Name the session (lxtop attach NAME works too)', scope: 'sessions', hint: 'name', hintOrder: 3 },
  { id: 'session-close', keys: ['c', 'delete'], description: 'Close the session (asks when its command still runs: SIGHUP, then SIGKILL)', scope: 'sessions', mutating: true, dangerous: true, hint: 'close', hintOrder: 4 },

  // ---- dialogs --------------------------------------------------------------------------
  // In the inputs (prompt, filter) a printable key is typed, so there only Esc cancels; in a picker
  // j/k move and a digit picks the n-th item shown.
  { id: 'dialog-accept', keys: ['enter'], description: 'Accept (prompt, picker, confirmation)', scope: 'dialog', hint: 'ok', hintOrder: 1, views: [...CONFIRMS, 'prompt', 'picker', 'filter', 'log-search', 'event-filter'], hintIn: ['prompt', 'picker'] },
  { id: 'dialog-yes', keys: ['y'], description: 'Yes (confirmation)', scope: 'dialog', hint: 'yes', hintOrder: 2, views: CONFIRMS, hintIn: ['confirm'] },
  { id: 'dialog-force', keys: ['F'], description: 'Force: stop a running instance, then delete it', scope: 'dialog', dangerous: true, hint: 'force', hintOrder: 3, views: CONFIRMS, hintIn: ['confirm-force'] },
  { id: 'dialog-cancel', keys: ['escape'], description: 'Cancel / close', scope: 'dialog', hint: 'cancel', hintOrder: 4, views: [...TEXT_VIEWS, ...CONFIRMS, 'prompt', 'picker', 'filter', 'logs', 'log-search', 'events', 'event-filter', 'snapshots', 'warnings', 'resources', 'files'] },
  // Not in a picker: there n is a letter a list user may type by habit, not a way out.
  { id: 'dialog-no', keys: ['n'], description: 'No (confirmation; closes a view too)', scope: 'dialog', views: [...TEXT_VIEWS, ...CONFIRMS] },
  { id: 'dialog-erase', keys: ['ctrl+u'], description: 'Erase the input (prompt)', scope: 'dialog', hint: 'erase', hintOrder: 5, views: ['prompt', 'filter', 'log-search', 'event-filter'] },
  { id: 'dialog-close', keys: ['q', 'enter'], description: 'Close the view (help, details, members, logs, snapshots, warnings)', scope: 'dialog', hidden: true, views: [...TEXT_VIEWS, 'logs', 'snapshots', 'warnings'] },
  { id: 'erase-char', keys: ['backspace'], description: 'Erase the last character (prompt, filter)', scope: 'dialog', hidden: true, views: ['prompt', 'filter', 'log-search', 'event-filter'] },
  { id: 'erase-word', keys: ['ctrl+w'], description: 'Erase the last word (prompt, filter)', scope: 'dialog', hidden: true, views: ['prompt', 'filter', 'log-search', 'event-filter'] },
  // The logs view (l): search as in less, follow as tail -f.
  { id: 'log-search', keys: ['/'], description: 'Search the log, filter the events (Enter keeps it, Esc drops it)', scope: 'dialog', views: ['logs', 'events'] },
  { id: 'event-jump', keys: ['enter'], description: 'Go to the event\'s instance (events)', scope: 'dialog', views: ['events'] },
  { id: 'log-next', keys: ['n'], description: 'Next match (logs)', scope: 'dialog', views: ['logs'] },
  { id: 'log-prev', keys: ['N'], description: 'Previous match (logs)', scope: 'dialog', views: ['logs'] },
  { id: 'log-follow', keys: ['f'], description: 'Follow the log: keep the end in view as lines are added (logs)', scope: 'dialog', views: ['logs'] },
  // The warnings view (W).
  { id: 'warning-ack', keys: ['a'], description: 'Acknowledge the warning, or set an acknowledged one back to new (warnings)', scope: 'dialog', mutating: true, hint: 'acknowledge', hintOrder: 6, views: ['warnings'] },
  { id: 'warning-delete', keys: ['d', 'delete'], description: 'Delete the warning (asks; warnings)', scope: 'dialog', mutating: true, dangerous: true, hint: 'delete', hintOrder: 7, views: ['warnings'] },
  { id: 'log-console', keys: ['c'], description: 'Switch between the log file and the console log (logs)', scope: 'dialog', views: ['logs'] },
  // The snapshots view (z): the instance's snapshots and their settings.
  { id: 'snapshot-new', keys: ['n'], description: 'New snapshot (snapshots; asks for a name)', scope: 'dialog', mutating: true, views: ['snapshots'] },
  { id: 'snapshot-restore', keys: ['r'], description: 'Restore the instance to the snapshot (snapshots; asks)', scope: 'dialog', mutating: true, dangerous: true, views: ['snapshots'] },
  { id: 'snapshot-rename', keys: ['m'], description: 'Rename the snapshot (snapshots)', scope: 'dialog', mutating: true, views: ['snapshots'] },
  { id: 'snapshot-delete', keys: ['d', 'delete'], description: 'Delete the snapshot (snapshots; asks)', scope: 'dialog', mutating: true, dangerous: true, views: ['snapshots'] },
  { id: 'snapshot-schedule', keys: ['s'], description: 'Set snapshots.schedule: cron or @hourly, @daily… (snapshots)', scope: 'dialog', mutating: true, views: ['snapshots'] },
  { id: 'snapshot-expiry', keys: ['x'], description: 'Set snapshots.expiry: 7d, 2w… (snapshots)', scope: 'dialog', mutating: true, views: ['snapshots'] },
  // The resources views (6 profiles, 7 networks, 8 storage; Enter on a pool: its volumes).
  { id: 'resource-open', keys: ['enter'], description: 'Details; on a storage pool its volumes (profiles, networks, storage)', scope: 'dialog', hint: 'open', hintOrder: 5, views: ['resources'] },
  { id: 'resource-detail', keys: ['i'], description: 'Details, a storage pool\'s too (profiles, networks, storage)', scope: 'dialog', views: ['resources'] },
  { id: 'resource-new', keys: ['n'], description: 'New: an empty profile, a bridge, a dir pool, a custom volume (asks a name)', scope: 'dialog', mutating: true, hint: 'new', hintOrder: 6, views: ['resources'] },
  { id: 'resource-delete', keys: ['d', 'delete'], description: 'Delete (profiles, networks, storage; asks)', scope: 'dialog', mutating: true, dangerous: true, hint: 'delete', hintOrder: 7, views: ['resources'] },
  // The files view (F): the instance's files, a directory at a time.
  { id: 'file-open', keys: ['enter', 'right', 'l'], description: 'Go into the directory (files)', scope: 'dialog', views: ['files'] },
  { id: 'file-up', keys: ['backspace', 'left', 'h'], description: 'Go up to the parent directory (files)', scope: 'dialog', views: ['files'] },
  { id: 'file-pull', keys: ['p'], description: 'Pull the file to a local path (files; asks where, default ./NAME)', scope: 'dialog', views: ['files'] },
  { id: 'file-push', keys: ['u'], description: 'Push a local file into this directory (files; asks which)', scope: 'dialog', mutating: true, views: ['files'] },
  { id: 'file-edit', keys: ['e'], description: 'Edit the text file in $EDITOR, written back with its mode and owner (files)', scope: 'dialog', mutating: true, views: ['files'] },
  { id: 'file-delete', keys: ['d', 'delete'], description: 'Delete the file (files; asks)', scope: 'dialog', mutating: true, dangerous: true, views: ['files'] },
  { id: 'file-reload', keys: ['ctrl+r'], description: 'Read the directory again (files)', scope: 'dialog', views: ['files'] },
  { id: 'snapshot-copy', keys: ['y'], description: 'Copy the snapshot to a new instance, here or on another remote (snapshots)', scope: 'dialog', mutating: true, views: ['snapshots'] },
  { id: 'snapshot-publish', keys: ['p'], description: 'Publish the snapshot as an image (snapshots; asks for an alias)', scope: 'dialog', mutating: true, views: ['snapshots'] },
] as const satisfies readonly Command[];

type AnyCommand = (typeof COMMANDS)[number];
/** Every command id: a handler table keyed by it is checked for missing and unknown ids. */
export type CommandId = AnyCommand['id'];
/** The commands that work in a pane (scope global or the pane's own). */
export type PaneCommand = Extract<AnyCommand, { scope: PaneScope }>;
export type PaneCommandId = PaneCommand['id'];
/** The keys a command binds. */
export type KeyOf<I extends CommandId> = Extract<AnyCommand, { id: I }>['keys'][number];
type IdsIn<C, V> = C extends { id: infer I; views: readonly (infer U)[] } ? (V extends U ? I : never) : never;
/** The commands bound in a view over the panes. */
export type BoundIn<V extends DialogView> = IdsIn<AnyCommand, V>;

/** The registry as plain Commands, for the code that reads any field of any command. */
const ALL: readonly Command[] = COMMANDS;

const byId = new Map<string, AnyCommand>(COMMANDS.map((c) => [c.id, c]));

export function command(id: CommandId): AnyCommand {
  const c = byId.get(id);
  if (!c) throw new Error(`unknown command ${id}`);
  return c;
}

export function isDialogView(where: string): where is DialogView {
  return (DIALOG_VIEWS as readonly string[]).includes(where);
}

/** The command bound to `key` in a pane: the pane's own, else a global one; null when none. */
export function findCommand(key: string, pane: PaneScope): PaneCommand | null {
  if (key === '') return null;
  for (const s of [pane, 'global'] as const) {
    const found = ALL.find((c): c is PaneCommand => c.scope === s && c.keys.includes(key));
    if (found) return found;
  }
  return null;
}

/** The command bound to `key` in a view over the panes; null when none (the key does nothing). */
export function findInView<V extends DialogView>(key: string, view: V): BoundIn<V> | null {
  if (key === '') return null;
  const found = ALL.find((c) => c.views?.includes(view) && c.keys.includes(key));
  // What the search above finds is what BoundIn<V> says: a command whose views include V.
  return found ? (found.id as BoundIn<V>) : null;
}

/** The commands whose key acts in every view and input, before anything else (Ctrl-C). */
export type AnywhereCommand = Extract<AnyCommand, { anywhere: readonly string[] }>;

export function findAnywhere(key: string): AnywhereCommand | null {
  if (key === '') return null;
  return ALL.find((c): c is AnywhereCommand => c.anywhere?.includes(key) === true) ?? null;
}

export function isAllowed(c: Command, readOnly: boolean): boolean {
  return !(readOnly && c.mutating);
}

/** The key hints and messages name for a command: its first (`F`, `Esc`). */
export function shownKey(id: CommandId): string {
  return keyLabel(command(id).keys[0]);
}

/** `q, Ctrl-C` */
export function keysText(c: Command, sep = ', '): string {
  return c.keys.map(keyLabel).join(sep);
}

export interface Hint {
  id: CommandId;
  key: string;
  label: string;
}

/**
 * Hint bar entries, in hint order, read-only aware: in a pane its commands then the global ones;
 * in a view over the panes the commands bound there (where they are hinted).
 */
export function hintsFor(where: PaneScope | DialogView, readOnly: boolean): Hint[] {
  const all: readonly (Command & { id: CommandId })[] = COMMANDS;
  const hinted = (c: Command) => c.hint !== undefined && isAllowed(c, readOnly);
  const byOrder = (a: Command, b: Command) => (a.hintOrder ?? 50) - (b.hintOrder ?? 50);
  const pick = (s: Scope) => all.filter((c) => c.scope === s && hinted(c)).sort(byOrder);
  const list = isDialogView(where)
    ? all.filter((c) => hinted(c) && (c.hintIn ?? c.views ?? []).includes(where)).sort(byOrder)
    : where === 'global'
      ? pick('global')
      : [...pick(where), ...pick('global')];
  return list.map((c) => ({ id: c.id, key: keyLabel(c.keys[0]), label: c.hint ?? c.id }));
}

/** The commands help and the README list (all but the hidden ones). */
function listed(scope: Scope): Command[] {
  return ALL.filter((c) => c.scope === scope && !c.hidden);
}

export interface HelpSection {
  scope: Scope;
  title: string;
  rows: { keys: string; description: string; dangerous: boolean; mutating: boolean }[];
}

/** The help overlay's content; read-only mode leaves out what it refuses. */
export function helpSections(readOnly: boolean): HelpSection[] {
  return SCOPES.map((scope) => ({
    scope,
    title: SCOPE_TITLES[scope],
    rows: listed(scope).filter((c) => isAllowed(c, readOnly)).map((c) => ({
      keys: keysText(c),
      description: c.description,
      dangerous: c.dangerous === true,
      mutating: c.mutating === true,
    })),
  })).filter((s) => s.rows.length > 0);
}

function mdCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function mdKeys(c: Command): string {
  return c.keys.map((k) => `\`${mdCell(keyLabel(k))}\``).join(' ');
}

/** The README key table (markdown), generated from the registry; checked by a unit test. */
export function renderKeyTable(): string {
  const lines = ['| Keys | Where | Action |', '|---|---|---|'];
  for (const scope of SCOPES) {
    for (const c of listed(scope)) {
      const action = c.mutating ? `${c.description}; refused with \`--read-only\`` : c.description;
      lines.push(`| ${mdKeys(c)} | ${SCOPE_TITLES[scope]} | ${mdCell(action)} |`);
    }
  }
  return lines.join('\n');
}
