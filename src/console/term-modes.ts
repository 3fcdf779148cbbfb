// Follows the terminal modes that the remote program switches with DEC private mode sequences
// (`ESC [ ? n h` / `ESC [ ? n l`), so that a session that ends while, say, vim still holds the
// alternate screen or the cursor is hidden leaves the user's terminal as it found it.
// Only chunks that contain `ESC [ ?` are parsed (Buffer.indexOf is native): bulk output costs a scan.

/** Mode number → the sequence that puts it back to the terminal's default. */
const RESETS: ReadonlyMap<number, string> = new Map([
  [1049, '\x1b[?1049l'], // alternate screen (with saved cursor)
  [1047, '\x1b[?1047l'],
  [47, '\x1b[?47l'],
  [25, '\x1b[?25h'], // cursor shown (default on: tracked inverted)
  [1, '\x1b[?1l'], // application cursor keys
  [2004, '\x1b[?2004l'], // bracketed paste
  [1000, '\x1b[?1000l'], // mouse reporting, all flavours
  [1002, '\x1b[?1002l'],
  [1003, '\x1b[?1003l'],
  [1005, '\x1b[?1005l'],
  [1006, '\x1b[?1006l'],
  [1015, '\x1b[?1015l'],
  [1004, '\x1b[?1004l'], // focus events
]);

/** Modes whose default is "set" (h): leaving them reset (l) is what needs undoing. */
const DEFAULT_SET = new Set([25]);

const INTRO = Buffer.from('\x1b[?');
const MAX_TAIL = 24;

export class TermModeTracker {
  /** Modes currently away from their default. */
  private readonly changed = new Set<number>();
  /** Start of a sequence cut by the chunk boundary. */
  private tail = '';

  feed(chunk: Buffer): void {
    if (this.tail !== '') {
      // Rare: rejoin the cut sequence with the start of this chunk only.
      const head = this.tail + chunk.subarray(0, MAX_TAIL).toString('latin1');
      this.tail = '';
      this.parse(head, 0, true);
    }
    const at = chunk.indexOf(INTRO);
    if (at === -1) {
      this.keepTail(chunk);
      return;
    }
    this.parse(chunk.toString('latin1', at), 0, false);
  }

  /** Sequences that undo what the remote program left changed ('' when nothing is). */
  restoreSequence(): string {
    let out = '';
    // The alternate screen first: leaving it may restore the cursor and its modes.
    for (const mode of [1049, 1047, 47]) if (this.changed.has(mode)) out += RESETS.get(mode);
    for (const mode of this.changed) if (mode !== 1049 && mode !== 1047 && mode !== 47) out += RESETS.get(mode);
    return out;
  }

  get modes(): ReadonlySet<number> {
    return this.changed;
  }

  private parse(text: string, from: number, headOnly: boolean): void {
    const re = /\x1b\[\?([0-9;]*)([hl])?/g;
    re.lastIndex = from;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m[2] === undefined) {
        // Cut at the end of the text: keep it for the next chunk.
        if (!headOnly && m.index + m[0].length === text.length && m[0].length < MAX_TAIL) this.tail = m[0];
        continue;
      }
      const set = m[2] === 'h';
      for (const part of m[1].split(';')) {
        const mode = Number(part);
        if (!RESETS.has(mode)) continue;
        const away = DEFAULT_SET.has(mode) ? !set : set;
        if (away) this.changed.add(mode);
        else this.changed.delete(mode);
      }
    }
    if (!headOnly && this.tail === '') this.keepTailText(text);
  }

  private keepTail(chunk: Buffer): void {
    // An ESC or `ESC [` at the very end may start a sequence.
    const n = chunk.length;
    if (n > 0 && chunk[n - 1] === 0x1b) this.tail = '\x1b';
    else if (n > 1 && chunk[n - 2] === 0x1b && chunk[n - 1] === 0x5b) this.tail = '\x1b[';
  }

  private keepTailText(text: string): void {
    if (text.endsWith('\x1b')) this.tail = '\x1b';
    else if (text.endsWith('\x1b[')) this.tail = '\x1b[';
  }
}
