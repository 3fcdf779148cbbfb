// Turns the screen of a headless terminal (@xterm/headless, fed with the program's real output)
// into a PNG: the cell grid with its colours, bold, dim, italic, underline and inverse becomes an
// HTML page, and headless Chromium takes its picture. Nothing is drawn by hand: every character
// and colour comes from the terminal's cells.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A dark theme for the 16 ANSI colours (One Dark), then xterm's 256-colour cube and greys.
const THEME = {
  background: '#1e2127',
  foreground: '#c8ccd4',
  cursor: '#c8ccd4',
  ansi: [
    '#3f4451', '#e06c75', '#98c379', '#e5c07b', '#61afef', '#c678dd', '#56b6c2', '#c8ccd4',
    '#6b7386', '#ff7b86', '#b1e18b', '#efb074', '#67cdff', '#e48bff', '#63d4e0', '#e6e9ef',
  ],
};

function palette(i) {
  if (i < 16) return THEME.ansi[i];
  if (i < 232) {
    const n = i - 16;
    const level = (v) => (v === 0 ? 0 : 55 + v * 40);
    return rgb(level(Math.floor(n / 36)), level(Math.floor(n / 6) % 6), level(n % 6));
  }
  const g = 8 + (i - 232) * 10;
  return rgb(g, g, g);
}

const rgb = (r, g, b) => `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
const hexOf = (n) => rgb((n >> 16) & 255, (n >> 8) & 255, n & 255);

function colour(cell, which) {
  const isDefault = which === 'fg' ? cell.isFgDefault() : cell.isBgDefault();
  if (isDefault) return null;
  const value = which === 'fg' ? cell.getFgColor() : cell.getBgColor();
  const isRgb = which === 'fg' ? cell.isFgRGB() : cell.isBgRGB();
  return isRgb ? hexOf(value) : palette(value);
}

/** Mixes `a` toward `b` by `t` (dim text: halfway to the background). */
function mix(a, b, t) {
  const p = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
  const [x, y] = [p(a), p(b)];
  return rgb(...x.map((v, i) => Math.round(v + (y[i] - v) * t)));
}

const escapeHtml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A snapshot of the terminal's visible screen (whichever buffer is active) as runs of styled
 * cells; taken at once, rendered later. `cursor`: draw the cursor block when the program shows it.
 */
export function snapshot(term, { cursor = false } = {}) {
  const buf = term.buffer.active;
  const cell = buf.getNullCell();
  const lines = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buf.getLine(buf.viewportY + y);
    const runs = [];
    for (let x = 0; x < term.cols; x++) {
      line?.getCell(x, cell);
      const width = line ? cell.getWidth() : 1;
      if (width === 0) continue; // the right half of a wide character
      let fg = (line && colour(cell, 'fg')) ?? THEME.foreground;
      let bg = (line && colour(cell, 'bg')) ?? null;
      if (line && cell.isInverse()) [fg, bg] = [bg ?? THEME.background, fg];
      const isCursor = cursor && y === buf.cursorY && x === buf.cursorX;
      if (isCursor) [fg, bg] = [THEME.background, THEME.cursor];
      const style = {
        fg: line && cell.isDim() ? mix(fg, bg ?? THEME.background, 0.45) : fg,
        bg,
        bold: !!(line && cell.isBold()),
        italic: !!(line && cell.isItalic()),
        underline: !!(line && cell.isUnderline()),
      };
      const chars = (line && !cell.isInvisible() && cell.getChars()) || ' ';
      const key = JSON.stringify(style);
      const last = runs[runs.length - 1];
      if (last && last.key === key) {
        last.text += chars;
        last.cells += width;
      } else runs.push({ key, style, text: chars, cells: width });
    }
    lines.push(runs);
  }
  return { cols: term.cols, rows: term.rows, lines };
}

const FONT_PX = 14;
const CELL_W = FONT_PX * 0.6021; // DejaVu Sans Mono's advance width
const CELL_H = 17;
const PAD = 14;
const TITLE_H = 28;

/** The page: a terminal window whose title is the command line that ran, and the cell grid. */
export function toHtml(shot, title) {
  const body = shot.lines
    .map((runs) => {
      const spans = runs
        .map(({ style, text, cells }) => {
          const css = [`width:${(cells * CELL_W).toFixed(3)}px`, `color:${style.fg}`];
          if (style.bg) css.push(`background:${style.bg}`);
          if (style.bold) css.push('font-weight:bold');
          if (style.italic) css.push('font-style:italic');
          if (style.underline) css.push('text-decoration:underline');
          return `<span style="${css.join(';')}">${escapeHtml(text)}</span>`;
        })
        .join('');
      return `<div class="l">${spans}</div>`;
    })
    .join('\n');
  const { width, height } = pageSize(shot);
  return `<!doctype html><html><head><meta charset="utf-8"><style>
html,body{margin:0;padding:0;background:#0f1011;width:${width}px;height:${height}px;overflow:hidden}
.win{position:absolute;left:0;top:0;width:${width}px;height:${height}px;background:${THEME.background};border-radius:8px;overflow:hidden}
.bar{height:${TITLE_H}px;background:#2b2d30;color:#a8abad;font:13px 'DejaVu Sans',sans-serif;line-height:${TITLE_H}px;text-align:center;position:relative}
.dots{position:absolute;left:12px;top:9px}
.dots i{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:7px}
.term{padding:${PAD}px;font:${FONT_PX}px 'DejaVu Sans Mono',monospace}
.l{height:${CELL_H}px;line-height:${CELL_H}px;white-space:pre}
.l span{display:inline-block;height:${CELL_H}px;overflow:hidden;vertical-align:top}
</style></head><body><div class="win"><div class="bar"><span class="dots"><i style="background:#ff5f57"></i><i style="background:#febc2e"></i><i style="background:#28c840"></i></span>${escapeHtml(title)}</div>
<div class="term">${body}</div></div></body></html>`;
}

export function pageSize(shot) {
  return { width: Math.ceil(shot.cols * CELL_W + 2 * PAD), height: TITLE_H + shot.rows * CELL_H + 2 * PAD };
}

/** Renders the page with headless Chromium into `out` (PNG), at `scale` device pixels per CSS pixel. */
export function toPng(shot, title, out, { chromium = 'chromium', scale = 1 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'lxtop-shot-'));
  try {
    const page = join(dir, 'page.html');
    writeFileSync(page, toHtml(shot, title));
    const { width, height } = pageSize(shot);
    execFileSync(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--hide-scrollbars',
        `--user-data-dir=${join(dir, 'profile')}`,
        `--force-device-scale-factor=${scale}`,
        `--window-size=${width},${height}`,
        `--screenshot=${out}`,
        `file://${page}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
