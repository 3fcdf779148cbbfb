// The one command registry. Every key lxtop answers to is declared here once: the help overlay,
// the hint bar, the README key table and read-only mode are all derived from this list, and the
// key handlers look commands up here (so a key shown in help is the key that works).
import { keyLabel } from './keys.js';

export type Scope = 'global' | 'instances' | 'images' | 'operations' | 'dialog';

export const SCOPES: readonly Scope[] = ['global', 'instances', 'images', 'operations', 'dialog'];

export const SCOPE_TITLES: Record<Scope, string> = {
  global: 'Everywhere',
  instances: 'Instances pane',
  images: 'Images pane',
  operations: 'Operations pane',
  dialog: 'Dialogs',
};

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
  /** Dialog scope only: the dialog kinds this key means something in. */
  dialogs?: readonly DialogHintKind[];
}

/** `confirm-force`: a confirmation that only F accepts (deleting a running instance). */
export type DialogHintKind = 'confirm' | 'confirm-force' | 'prompt' | 'picker';

export const COMMANDS: readonly Command[] = [
  // ---- everywhere -----------------------------------------------------------------------
  { id: 'quit', keys: ['q', 'ctrl+c'], description: 'Quit (restores the terminal)', scope: 'global', hint: 'quit', hintOrder: 99 },
  { id: 'help', keys: ['?'], description: 'Show or hide this help', scope: 'global', hint: 'help', hintOrder: 98 },
  { id: 'pane-next', keys: ['tab'], description: 'Next pane', scope: 'global', hint: 'pane', hintOrder: 90 },
  { id: 'pane-prev', keys: ['shift+tab'], description: 'Previous pane', scope: 'global' },
  { id: 'pane-instances', keys: ['1'], description: 'Instances pane', scope: 'global' },
  { id: 'pane-images', keys: ['2'], description: 'Images pane', scope: 'global' },
  { id: 'pane-operations', keys: ['3'], description: 'Operations pane', scope: 'global' },
  { id: 'project', keys: ['P'], description: 'Switch project (or all projects)', scope: 'global' },
  { id: 'remote', keys: ['O'], description: 'Switch remote (the lxc, incus and lxtop configuration\'s)', scope: 'global' },
  { id: 'members', keys: ['4'], description: 'Cluster members: name, status, roles, message, URL (clustered servers)', scope: 'global' },
  { id: 'up', keys: ['up', 'k'], description: 'Move up', scope: 'global' },
  { id: 'down', keys: ['down', 'j'], description: 'Move down', scope: 'global' },
  { id: 'page-up', keys: ['pageup', 'ctrl+b'], description: 'Page up', scope: 'global' },
  { id: 'page-down', keys: ['pagedown', 'ctrl+f'], description: 'Page down', scope: 'global' },
  { id: 'top', keys: ['g', 'home'], description: 'First row', scope: 'global' },
  { id: 'bottom', keys: ['G', 'end'], description: 'Last row', scope: 'global' },
  { id: 'filter', keys: ['/'], description: 'Filter the rows (Enter keeps it, Esc restores)', scope: 'global', hint: 'filter', hintOrder: 80 },
  { id: 'sort-next', keys: ['>', '.'], description: 'Sort by the next column', scope: 'global', hint: 'sort', hintOrder: 81 },
  { id: 'sort-prev', keys: ['<', ','], description: 'Sort by the previous column', scope: 'global' },
  { id: 'sort-reverse', keys: ['I'], description: 'Invert the sort order', scope: 'global' },
  { id: 'mark', keys: ['space'], description: 'Mark / unmark the row (actions apply to every marked row)', scope: 'global' },
  { id: 'clear', keys: ['escape'], description: 'Clear the filter and the marks', scope: 'global' },
  { id: 'refresh', keys: ['ctrl+r'], description: 'Re-list everything now', scope: 'global' },

  // ---- instances ------------------------------------------------------------------------
  { id: 'detail', keys: ['enter'], description: 'Details: config, devices, profiles, snapshots, state', scope: 'instances', hint: 'info', hintOrder: 20 },
  { id: 'start', keys: ['s'], description: 'Start', scope: 'instances', mutating: true, hint: 'start', hintOrder: 1 },
  { id: 'stop', keys: ['x'], description: 'Stop (graceful)', scope: 'instances', mutating: true, hint: 'stop', hintOrder: 2 },
  { id: 'force-stop', keys: ['X'], description: 'Force stop (kill; asks)', scope: 'instances', mutating: true, dangerous: true, hint: 'kill', hintOrder: 3 },
  { id: 'restart', keys: ['r'], description: 'Restart', scope: 'instances', mutating: true, hint: 'restart', hintOrder: 4 },
  { id: 'freeze', keys: ['f'], description: 'Freeze a running instance / unfreeze a frozen one', scope: 'instances', mutating: true, hint: 'freeze', hintOrder: 5 },
  { id: 'exec', keys: ['e'], description: 'Shell in the instance (exec console; offers to start a stopped one; Enter ~. detaches)', scope: 'instances', mutating: true, hint: 'shell', hintOrder: 6 },
  { id: 'exec-command', keys: [':'], description: 'Run a command in the instance (exec console; --user, --group, --cwd, --env may come first)', scope: 'instances', mutating: true, hint: 'run', hintOrder: 12 },
  { id: 'snapshot', keys: ['S'], description: 'Snapshot (asks for a name)', scope: 'instances', mutating: true, hint: 'snap', hintOrder: 7 },
  { id: 'restore', keys: ['R'], description: 'Restore a snapshot (pick one)', scope: 'instances', mutating: true, dangerous: true, hint: 'restore', hintOrder: 8 },
  { id: 'rename', keys: ['m'], description: 'Rename (instance must be stopped)', scope: 'instances', mutating: true, hint: 'rename', hintOrder: 10 },
  { id: 'delete', keys: ['d', 'delete'], description: 'Delete (asks; a running instance needs F to force)', scope: 'instances', mutating: true, dangerous: true, hint: 'delete', hintOrder: 9 },
  { id: 'new', keys: ['n'], description: 'New instance (pick an image, then a name)', scope: 'instances', mutating: true, hint: 'new', hintOrder: 11 },

  // ---- images ---------------------------------------------------------------------------
  { id: 'image-new', keys: ['n'], description: 'New instance from this image', scope: 'images', mutating: true, hint: 'launch', hintOrder: 1 },
  { id: 'image-delete', keys: ['d', 'delete'], description: 'Delete the image (asks)', scope: 'images', mutating: true, dangerous: true, hint: 'delete', hintOrder: 2 },

  // ---- operations -----------------------------------------------------------------------
  { id: 'operation-cancel', keys: ['c', 'delete'], description: 'Cancel the operation (where the server allows it)', scope: 'operations', mutating: true, dangerous: true, hint: 'cancel', hintOrder: 1 },

  // ---- dialogs --------------------------------------------------------------------------
  { id: 'dialog-accept', keys: ['enter'], description: 'Accept (prompt, picker, confirmation)', scope: 'dialog', hint: 'ok', hintOrder: 1, dialogs: ['prompt', 'picker'] },
  { id: 'dialog-yes', keys: ['y'], description: 'Yes (confirmation)', scope: 'dialog', hint: 'yes', hintOrder: 2, dialogs: ['confirm'] },
  { id: 'dialog-force', keys: ['F'], description: 'Force: stop a running instance, then delete it', scope: 'dialog', dangerous: true, hint: 'force', hintOrder: 3, dialogs: ['confirm-force'] },
  { id: 'dialog-cancel', keys: ['escape', 'n'], description: 'Cancel / close (n in confirmations only)', scope: 'dialog', hint: 'cancel', hintOrder: 4, dialogs: ['confirm', 'confirm-force', 'prompt', 'picker'] },
  { id: 'dialog-erase', keys: ['ctrl+u'], description: 'Erase the input (prompt)', scope: 'dialog', hint: 'erase', hintOrder: 5, dialogs: ['prompt'] },
];

const byId = new Map(COMMANDS.map((c) => [c.id, c]));

export function command(id: string): Command {
  const c = byId.get(id);
  if (!c) throw new Error(`unknown command ${id}`);
  return c;
}

/** The command bound to `key` in `scope`, else in the global scope; null when none. */
export function findCommand(key: string, scope: Exclude<Scope, 'dialog'>): Command | null {
  if (key === '') return null;
  for (const s of [scope, 'global'] as const) {
    const found = COMMANDS.find((c) => c.scope === s && c.keys.includes(key));
    if (found) return found;
  }
  return null;
}

export function isAllowed(c: Command, readOnly: boolean): boolean {
  return !(readOnly && c.mutating);
}

/** `q, Ctrl-C` */
export function keysText(c: Command, sep = ', '): string {
  return c.keys.map(keyLabel).join(sep);
}

export interface Hint {
  key: string;
  label: string;
}

/** Hint bar entries for a scope: its commands then the global ones, in hint order, read-only aware. */
export function hintsFor(scope: Scope, readOnly: boolean, dialog?: DialogHintKind): Hint[] {
  const pick = (s: Scope) =>
    COMMANDS.filter(
      (c) => c.scope === s && c.hint && isAllowed(c, readOnly) && (!dialog || !c.dialogs || c.dialogs.includes(dialog)),
    ).sort(
      (a, b) => (a.hintOrder ?? 50) - (b.hintOrder ?? 50),
    );
  const list = scope === 'global' || scope === 'dialog' ? pick(scope) : [...pick(scope), ...pick('global')];
  return list.map((c) => ({ key: keyLabel(c.keys[0]), label: c.hint ?? c.id }));
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
    rows: COMMANDS.filter((c) => c.scope === scope && isAllowed(c, readOnly)).map((c) => ({
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
    for (const c of COMMANDS.filter((x) => x.scope === scope)) {
      const action = c.mutating ? `${c.description}; refused with \`--read-only\`` : c.description;
      lines.push(`| ${mdKeys(c)} | ${SCOPE_TITLES[scope]} | ${mdCell(action)} |`);
    }
  }
  return lines.join('\n');
}
