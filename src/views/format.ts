// Pure formatting for table cells: sizes, rates, percentages, ages, clock times, truncation.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1536 → `1.5KiB`; null/NaN → `-`. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '-';
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${Math.round(v)}B`;
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)}${UNITS[u]}`;
}

export function formatRate(bytesPerSec: number | null | undefined): string {
  if (bytesPerSec === null || bytesPerSec === undefined || !Number.isFinite(bytesPerSec)) return '-';
  return `${formatBytes(bytesPerSec)}/s`;
}

export function formatPercent(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '-';
  return `${p >= 100 ? Math.round(p) : p.toFixed(1)}%`;
}

export function parseTime(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  // The API says 0001-01-01T00:00:00Z for "never".
  return Number.isFinite(t) && t > 0 ? t : null;
}

/** Age from an ISO time: `42s`, `5m`, `3h`, `12d`, `2y`; unknown → `-`. */
export function formatAge(iso: string | null | undefined, now: number): string {
  const t = parseTime(iso);
  if (t === null) return '-';
  return formatDuration(Math.max(0, now - t));
}

export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 730) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock time `HH:MM:SS`. */
export function formatClock(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  const d = new Date(ms);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** Local date and time `YYYY-MM-DD HH:MM`. */
export function formatDate(iso: string | null | undefined): string {
  const t = parseTime(iso);
  if (t === null) return '-';
  const d = new Date(t);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** `snap-YYYYMMDD-HHMMSS` in local time. */
export function defaultSnapshotName(now: number): string {
  const d = new Date(now);
  return `snap-${d.getFullYear()}${pad2(d.getMonth() + 1)}${pad2(d.getDate())}-${pad2(d.getHours())}${pad2(d.getMinutes())}${pad2(d.getSeconds())}`;
}

/** East Asian wide and emoji ranges: two columns each (close enough for names and descriptions). */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Terminal columns of plain text (no escape sequences). */
export function width(text: string): number {
  // Printable ASCII (nearly every cell): one column a character.
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || c >= 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return text.length;
  let w = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 32 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0x300 && cp <= 0x36f) || cp === 0x200b || (cp >= 0xfe00 && cp <= 0xfe0f)) continue;
    w += isWide(cp) ? 2 : 1;
  }
  return w;
}

/** Cuts `text` to at most `max` columns, ending in `…` when cut. */
export function truncate(text: string, max: number): string {
  if (max <= 0) return '';
  if (width(text) <= max) return text;
  if (max === 1) return '…';
  let out = '';
  let w = 0;
  for (const ch of text) {
    const cw = width(ch);
    if (w + cw > max - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

/** Truncates and pads to exactly `size` columns. */
export function fit(text: string, size: number, align: 'left' | 'right' = 'left'): string {
  const t = truncate(text.replace(/[\r\n\t]+/g, ' '), size);
  const gap = ' '.repeat(Math.max(0, size - width(t)));
  return align === 'right' ? gap + t : t + gap;
}

/** Splits a command line into words: spaces separate, quotes group, backslash escapes. */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has) words.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) words.push(cur);
  return words;
}

/** Word-wraps plain text to lines of at most `max` columns (long words are cut). */
export function wrapText(text: string, max: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      let w = word;
      while (width(w) > max) {
        if (line) {
          out.push(line);
          line = '';
        }
        out.push(w.slice(0, max));
        w = w.slice(max);
      }
      if (!line) line = w;
      else if (width(line) + 1 + width(w) <= max) line = `${line} ${w}`;
      else {
        out.push(line);
        line = w;
      }
    }
    out.push(line);
  }
  return out;
}
