// The broadcast screen's geometry and text (pure, unit-tested): tiles stacked top to bottom, each a
// title line and its session's screen at the tile's height, then a help line and the input line.

export interface Layout {
  /** Width of every tile (the sessions' PTYs are this wide). */
  cols: number;
  /** Rows of each tile's screen (the sessions' PTYs are this tall). */
  height: number;
  /** The tiles that fit, by their title row (1-based). */
  tiles: { top: number }[];
  helpRow: number;
  inputRow: number;
}

export function tileLayout(cols: number, rows: number, count: number): Layout {
  const width = Math.max(10, cols);
  const room = Math.max(0, rows - 2);
  const per = count > 0 ? Math.floor(room / count) : room;
  const height = Math.max(1, per - 1);
  const shown = Math.min(count, Math.floor(room / (height + 1)));
  const tiles = Array.from({ length: shown }, (_, i) => ({ top: 1 + i * (height + 1) }));
  return { cols: width, height, tiles, helpRow: Math.max(1, rows - 1), inputRow: Math.max(1, rows) };
}

/** What tileText reads: @xterm/headless's active buffer. */
interface ScreenSource {
  cols: number;
  buffer: { active: { viewportY: number; getLine(y: number): { translateToString(trim: boolean): string } | undefined } };
}

/** The tile's lines: the session's screen as plain text, `height` lines, each cut to the width. */
export function tileText(term: ScreenSource, height: number): string[] {
  const buf = term.buffer.active;
  const out: string[] = [];
  for (let y = 0; y < height; y++) out.push((buf.getLine(buf.viewportY + y)?.translateToString(true) ?? '').slice(0, term.cols));
  return out;
}

/** The end of the typed line that fits `width` (the start is dropped, as an input scrolls). */
export function typedLine(typed: string, width: number): string {
  const chars = [...typed];
  return chars.length <= width ? typed : chars.slice(chars.length - Math.max(1, width)).join('');
}

/** The input line after `text` was typed: Enter, Ctrl-C, Ctrl-U start it afresh; escape sequences (arrows) are not shown. */
export function typedAfter(typed: string, text: string): string {
  let line = typed;
  for (const ch of text.replace(/\x1b(\[[0-?]*[ -/]*[@-~]|O.|.)?/gs, '')) {
    if (ch === '\r' || ch === '\n' || ch === '\x03' || ch === '\x15') line = '';
    else if (ch === '\x7f' || ch === '\b') line = [...line].slice(0, -1).join('');
    else if (ch >= ' ') line += ch;
  }
  return line;
}
