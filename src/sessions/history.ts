// A session's history as plain text lines: its raw output (kept by the holder, raw-log.ts) played
// through a headless terminal of the session's width, big enough to keep every line. Done by the
// client that asks, not the holder: 50,000 lines take about a second to parse, and the holder must
// keep serving keystrokes meanwhile.
import xterm from '@xterm/headless';

const { Terminal } = xterm;

export async function historyLines(raw: Buffer, cols: number): Promise<string[]> {
  let newlines = 0;
  for (let at = raw.indexOf(0x0a); at !== -1; at = raw.indexOf(0x0a, at + 1)) newlines++;
  const rows = 24;
  const term = new Terminal({ cols: Math.max(cols, 20), rows, scrollback: newlines + rows + 16, allowProposedApi: true });
  await new Promise<void>((resolve) => term.write(raw, resolve));
  const buf = term.buffer.normal;
  const lines: string[] = [];
  for (let y = 0; y < buf.length; y++) {
    const line = buf.getLine(y);
    if (!line) continue;
    const text = line.translateToString(true);
    if (line.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
    else lines.push(text);
  }
  term.dispose();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
