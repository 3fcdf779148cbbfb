// Type into many (cluster-ssh style): a held session in each of several instances, drawn one
// above the other (each tile its session's screen, at the tile's size), and every keystroke sent
// to all of them; each session's output stays its own. Esc alone (or the detach sequence) leaves:
// the sessions go on in the holder, and the Sessions pane attaches each one alone.
// Each session has its own connection to the holder (an attachment is per connection) and its
// own headless terminal here that keeps its screen for the tile.
import xterm from '@xterm/headless';
import { TerminalGuard } from '../console/terminal.js';
import { LocalTerminal, type ConsoleIo } from '../console/local-terminal.js';
import { HolderClient } from './client.js';
import { tileLayout, tileText, typedAfter, typedLine, type Layout } from './broadcast-draw.js';
import { stateText, type SessionInfo, type SessionTarget } from './types.js';

const { Terminal } = xterm;

export interface BroadcastStart {
  instance: string;
  project?: string;
}

export interface BroadcastResult {
  ok: boolean;
  message: string;
  ids: string[];
}

interface Tile {
  instance: string;
  id: string;
  client: HolderClient;
  term: InstanceType<typeof Terminal>;
  ended: SessionInfo | null;
  dirty: boolean;
}

/** A redraw at most this often while output flows. */
const FRAME_MS = 30;
const ALT_ON = '\x1b[?1049h\x1b[H\x1b[2J';
const ALT_OFF = '\x1b[?25h\x1b[?1049l';

export async function runBroadcast(target: SessionTarget, starts: BroadcastStart[], io: ConsoleIo, detach: string | undefined): Promise<BroadcastResult> {
  const cols = io.stdout.columns || 80;
  const rows = io.stdout.rows || 24;
  let layout: Layout = tileLayout(cols, rows, starts.length);
  const term = process.env.TERM && process.env.TERM !== 'dumb' ? process.env.TERM : 'xterm-256color';
  const tiles: Tile[] = [];
  const refused: string[] = [];
  // One connection per session: start it, then attach on the same connection.
  for (const s of starts) {
    let client: HolderClient | null = null;
    try {
      client = await HolderClient.connect({ start: true });
      if (!client) throw new Error('the session holder did not start');
      const reply = await client.request({ op: 'start', kind: 'exec', target: { ...target, project: s.project }, instance: s.instance, cols: layout.cols, rows: layout.height, term });
      const t = new Terminal({ cols: layout.cols, rows: layout.height, scrollback: 0, allowProposedApi: true });
      tiles.push({ instance: s.instance, id: String(reply.id), client, term: t, ended: null, dirty: true });
    } catch (err) {
      client?.close();
      refused.push(`${s.instance}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const ids = tiles.map((t) => t.id);
  if (tiles.length === 0) return { ok: false, message: refused.join('; ') || 'no session started', ids };

  const guard = new TerminalGuard(io.stdin, io.stdout);
  guard.resetSequence = () => ALT_OFF;
  let typed = '';
  let timer: NodeJS.Timeout | null = null;
  let settle!: (why: string) => void;
  const over = new Promise<string>((resolve) => (settle = resolve));
  let done = false;
  const end = (why: string): void => {
    if (done) return;
    done = true;
    settle(why);
  };

  const draw = (all: boolean): void => {
    timer = null;
    if (done) return;
    let out = all ? '\x1b[H\x1b[2J' : '';
    layout.tiles.forEach((place, i) => {
      const tile = tiles[i];
      if (!tile || (!all && !tile.dirty)) return;
      tile.dirty = false;
      const lines = tileText(tile.term, layout.height);
      const state = tile.ended ? stateText(tile.ended) : 'typing';
      const title = ` ${tile.id} ${tile.instance} · ${state} `;
      out += `\x1b[${place.top};1H\x1b[7m${title.slice(0, layout.cols).padEnd(layout.cols)}\x1b[0m`;
      lines.forEach((line, y) => (out += `\x1b[${place.top + 1 + y};1H\x1b[2K${line}`));
    });
    const more = tiles.length > layout.tiles.length ? ` (+${tiles.length - layout.tiles.length} not shown)` : '';
    const help = ` Typing into ${tiles.filter((t) => !t.ended).length} sessions${more} · Esc leaves (they go on: Sessions pane, 5) `;
    out += `\x1b[${layout.helpRow};1H\x1b[2K\x1b[7m${help.slice(0, cols).padEnd(layout.cols)}\x1b[0m`;
    out += `\x1b[${layout.inputRow};1H\x1b[2K> ${typedLine(typed, layout.cols - 2)}`;
    io.stdout.write(out);
  };
  const later = (): void => {
    timer ??= setTimeout(() => draw(false), FRAME_MS);
  };

  for (const tile of tiles) {
    tile.client.onData = (bytes) => {
      tile.term.write(bytes, () => {
        tile.dirty = true;
        later();
      });
    };
    tile.client.onMessage = (m) => {
      if (m.op !== 'ended') return;
      tile.ended = m.info as SessionInfo;
      tile.dirty = true;
      later();
      if (tiles.every((t) => t.ended)) setTimeout(() => end('every session ended'), 800);
    };
    tile.client.onClose = () => end('the session holder went away');
  }

  const send = (bytes: Buffer): void => {
    // Esc alone leaves (an arrow key's Esc comes with the rest of its sequence in one read).
    if (bytes.length === 1 && bytes[0] === 0x1b) return end('left');
    for (const t of tiles) if (!t.ended) t.client.input(bytes);
    typed = typedAfter(typed, bytes.toString('utf8'));
    draw(false);
  };
  const local = new LocalTerminal(io, detach, {
    input: send,
    detach: () => end('left'),
    endOfInput: () => end('left'),
    resize: (c, r) => {
      layout = tileLayout(c, r, tiles.length);
      for (const t of tiles) {
        t.term.resize(layout.cols, layout.height);
        t.client.tell({ op: 'resize', cols: layout.cols, rows: layout.height });
      }
      draw(true);
    },
    hungUp: () => end('terminal hung up'),
  });
  guard.take((signal) => end(signal === 'SIGHUP' ? 'terminal hung up' : `received ${signal}`));
  io.stdout.write(ALT_ON);
  try {
    for (const t of tiles) {
      try {
        await t.client.request({ op: 'attach', id: t.id, cols: layout.cols, rows: layout.height });
      } catch (err) {
        // Not typed into from here on (a closed client sends nothing).
        t.client.onClose = () => {};
        t.client.close();
        refused.push(`session ${t.id} (${t.instance}): ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    draw(true);
    local.start();
    await over;
  } finally {
    if (timer) clearTimeout(timer);
    local.dispose();
    for (const t of tiles) {
      t.client.onData = () => {};
      t.client.onClose = () => {};
      t.client.tell({ op: 'detach' });
      t.client.close();
      t.term.dispose();
    }
    guard.release();
  }
  guard.reraise();
  const still = tiles.filter((t) => !t.ended).map((t) => t.id);
  const list = (xs: string[]) => xs.join(', ');
  const message = [
    still.length > 0 ? `left sessions ${list(still)} running (Sessions pane: Enter attaches one)` : `sessions ${list(ids)} ended`,
    ...refused,
  ].join('; ');
  return { ok: refused.length === 0, message, ids };
}
