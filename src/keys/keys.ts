// Named keys. One keypress (as Ink's input parser delivers it: one escape sequence or one
// character, or a pasted string) becomes a stable name the registry binds to: `q`, `S`, `space`,
// `up`, `pagedown`, `enter`, `escape`, `shift+tab`, `ctrl+c`, `f5`... Printable characters are
// their own names (case matters); a pasted multi-character string is returned as `text`.

export interface KeyPress {
  /** The key's name, or '' for a pasted string / an unknown sequence. */
  name: string;
  /** Printable text this keypress carries (for prompts), '' for control keys. */
  text: string;
}

const SEQUENCES: Record<string, string> = {
  '\r': 'enter',
  '\n': 'enter',
  '\t': 'tab',
  '\x1b[Z': 'shift+tab',
  '\x1b': 'escape',
  '\x1b\x1b': 'escape',
  '\x7f': 'backspace',
  '\b': 'backspace',
  ' ': 'space',
  '\x1b[A': 'up',
  '\x1b[B': 'down',
  '\x1b[C': 'right',
  '\x1b[D': 'left',
  '\x1bOA': 'up',
  '\x1bOB': 'down',
  '\x1bOC': 'right',
  '\x1bOD': 'left',
  '\x1b[H': 'home',
  '\x1b[F': 'end',
  '\x1bOH': 'home',
  '\x1bOF': 'end',
  '\x1b[1~': 'home',
  '\x1b[4~': 'end',
  '\x1b[7~': 'home',
  '\x1b[8~': 'end',
  '\x1b[2~': 'insert',
  '\x1b[3~': 'delete',
  '\x1b[5~': 'pageup',
  '\x1b[6~': 'pagedown',
  '\x1bOP': 'f1',
  '\x1bOQ': 'f2',
  '\x1bOR': 'f3',
  '\x1bOS': 'f4',
  '\x1b[11~': 'f1',
  '\x1b[12~': 'f2',
  '\x1b[13~': 'f3',
  '\x1b[14~': 'f4',
  '\x1b[15~': 'f5',
  '\x1b[17~': 'f6',
  '\x1b[18~': 'f7',
  '\x1b[19~': 'f8',
  '\x1b[20~': 'f9',
  '\x1b[21~': 'f10',
  '\x1b[23~': 'f11',
  '\x1b[24~': 'f12',
};

/** Parses one keypress as delivered by Ink's input parser. */
export function parseKey(raw: string): KeyPress {
  const known = SEQUENCES[raw];
  if (known !== undefined) return { name: known, text: raw === ' ' ? ' ' : '' };
  if (raw.length === 1) {
    const code = raw.charCodeAt(0);
    if (code === 0) return { name: 'ctrl+space', text: '' };
    if (code < 27) return { name: `ctrl+${String.fromCharCode(code + 96)}`, text: '' };
    if (code < 32) return { name: '', text: '' };
    return { name: raw, text: raw };
  }
  // Alt/meta + key arrives as ESC + key.
  if (raw.length === 2 && raw[0] === '\x1b' && raw.charCodeAt(1) >= 32) return { name: `alt+${raw[1]}`, text: '' };
  if (raw.startsWith('\x1b')) return { name: '', text: '' };
  // A single astral character (emoji) or a paste: printable text without a binding.
  const printable = [...raw].filter((c) => c >= ' ' && c !== '\x7f').join('');
  if ([...raw].length === 1) return { name: raw, text: printable };
  return { name: '', text: printable };
}

const LABELS: Record<string, string> = {
  enter: 'Enter',
  tab: 'Tab',
  'shift+tab': 'Shift-Tab',
  escape: 'Esc',
  backspace: 'Backspace',
  space: 'Space',
  up: '↑',
  down: '↓',
  left: '←',
  right: '→',
  home: 'Home',
  end: 'End',
  insert: 'Ins',
  delete: 'Del',
  pageup: 'PgUp',
  pagedown: 'PgDn',
};

/** How a key name is shown to people: `ctrl+c` → `Ctrl-C`, `pagedown` → `PgDn`. */
export function keyLabel(name: string): string {
  const label = LABELS[name];
  if (label) return label;
  if (name.startsWith('ctrl+')) return `Ctrl-${name.slice(5).toUpperCase()}`;
  if (name.startsWith('alt+')) return `Alt-${name.slice(4)}`;
  if (/^f\d+$/.test(name)) return name.toUpperCase();
  return name;
}

/**
 * Ink delivers one escape sequence per event, but a run of plain characters as one event (typed
 * fast, over a slow link, or pasted: `jj`, `web\r`). Split such a run into one keypress per
 * character so that each is bound (and Enter after typed text is not lost).
 */
export function splitKeys(raw: string): string[] {
  if (raw.length <= 1 || raw.startsWith('\x1b')) return [raw];
  return [...raw];
}
