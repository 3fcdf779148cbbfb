// Runs a program in a real pseudo-terminal (node-pty) and reads its screen through a headless
// terminal emulator (@xterm/headless), the way a person sees it. Used by the end-to-end tests.
import { spawn, type IPty } from 'node-pty';
import xterm from '@xterm/headless';
import { fileURLToPath } from 'node:url';

const { Terminal } = xterm;

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const cliPath = `${repoRoot}dist/cli.js`;

export interface PtyOptions {
  cols?: number;
  rows?: number;
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export interface PtySession {
  pty: IPty;
  /** Everything the program wrote, raw (escape sequences included). */
  readonly output: string;
  /** The visible screen as plain text lines, trailing spaces trimmed. */
  screen(): string;
  /** True while the program has the alternate screen buffer. */
  inAltScreen(): boolean;
  /** Whether the cursor is shown, by the last show/hide sequence written (shown if none). */
  cursorVisible(): boolean;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** Waits until `check(screen)` holds; rejects with the screen after `timeoutMs`. */
  waitFor(check: string | RegExp | ((screen: string) => boolean), timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or signal) when the program ends. */
  exited: Promise<{ exitCode: number; signal?: number }>;
  kill(signal?: string): void;
}

export function startPty(file: string, args: string[], opts: PtyOptions = {}): PtySession {
  const cols = opts.cols ?? 120;
  const rows = opts.rows ?? 40;
  const env = { ...process.env, TERM: 'xterm-256color', NO_COLOR: '1', ...opts.env } as Record<string, string>;
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const pty = spawn(file, args, { name: 'xterm-256color', cols, rows, cwd: opts.cwd ?? repoRoot, env });
  const term = new Terminal({ cols, rows, allowProposedApi: true, scrollback: 1000 });
  let output = '';
  pty.onData((data) => {
    output += data;
    term.write(data);
  });
  const exited = new Promise<{ exitCode: number; signal?: number }>((resolve) => {
    pty.onExit((e) => resolve(e));
  });

  const screen = (): string => {
    const buf = term.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < term.rows; y++) {
      lines.push(buf.getLine(buf.viewportY + y)?.translateToString(true) ?? '');
    }
    return lines.join('\n');
  };

  // xterm parses asynchronously: flush pending writes before reading the screen.
  const flushed = (): Promise<void> => new Promise((resolve) => term.write('', resolve));

  const matches = (check: string | RegExp | ((s: string) => boolean), text: string): boolean =>
    typeof check === 'string' ? text.includes(check) : check instanceof RegExp ? check.test(text) : check(text);

  return {
    pty,
    get output() {
      return output;
    },
    screen,
    inAltScreen: () => term.buffer.active.type === 'alternate',
    cursorVisible: () => output.lastIndexOf('\x1b[?25l') <= output.lastIndexOf('\x1b[?25h'),
    write: (data) => pty.write(data),
    resize: (c, r) => {
      pty.resize(c, r);
      term.resize(c, r);
    },
    async waitFor(check, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await flushed();
        const text = screen();
        if (matches(check, text)) return text;
        if (Date.now() > deadline) {
          throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(check)}; screen:\n${text}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    exited,
    kill: (signal) => {
      try {
        pty.kill(signal);
      } catch {
        // already gone
      }
    },
  };
}

/**
 * How the built CLI is started: `node dist/cli.js`, or the single executable named by
 * LXTOP_TEST_BINARY (dist/bin/lxtop-linux-x64) to run a suite through it.
 */
export function cliCommand(args: string[]): [string, string[]] {
  const binary = process.env.LXTOP_TEST_BINARY;
  return binary ? [binary, args] : [process.execPath, [cliPath, ...args]];
}

/** Starts the built CLI (`dist/cli.js`) under node in a pseudo-terminal. */
export function startCli(args: string[], opts: PtyOptions = {}): PtySession {
  return startPty(...cliCommand(args), opts);
}

/**
 * Starts the built CLI through a shell that, once the CLI has ended, prints its exit status and
 * the terminal's modes (`stty -a`): how a test sees whether lxtop left the terminal as it found it.
 */
export function startCliThenStty(args: string[], opts: PtyOptions = {}): PtySession {
  const [file, argv] = cliCommand(args);
  const quoted = [file, ...argv].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `${quoted}; echo "CLI-EXIT=$?"; stty -a; sleep 30`;
  return startPty('/bin/sh', ['-c', script], opts);
}

/**
 * The full-screen view (not the first paint, which says `(starting…)`) with its first instance
 * list drawn and the event stream live, however many instances the daemon holds: the header's
 * count line reads `0 instances`, `1 instance: 1 Running` or `12 instances: 3 Running, …` with
 * `live` at its right, and the table is no longer `loading…`. Wait for this, never for
 * `N instances:` (that colon is only there with one instance or more: an empty project never
 * shows it).
 */
export function listedLive(screen: string): boolean {
  return (
    screen.split('\n').some((l) => /^\d+ instances?\b.*\slive\b/.test(l)) && !screen.includes('loading…') && !screen.includes('(starting…)')
  );
}

/** The text of the picker's selected item (`│ > label …│` in the dialog's frame), or null. */
function pickedLine(screen: string): string | null {
  for (const line of screen.split('\n')) {
    const m = /│ > ([^│]*)│/.exec(line);
    if (m) return m[1].trim();
  }
  return null;
}

/**
 * Presses `key` until the picker titled `title` is open (at most three tries, 4 s each): a key
 * that lands while a project or remote switch is still starting may be dropped.
 */
export async function openPicker(s: PtySession, key: string, title: RegExp): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    s.write(key);
    try {
      await s.waitFor(title, 4000);
      return;
    } catch (err) {
      if (attempt >= 2) throw err;
    }
  }
}

/**
 * Moves a picker's cursor with `key` until `label` is selected, then presses Enter. One key at a
 * time, each only after the selected line moved: a key sent while the last one is not drawn yet
 * would overshoot (a metrics redraw is not the key's frame).
 */
export async function pickInList(s: PtySession, label: string, key = '\x1b[B', maxKeys = 50): Promise<void> {
  const selected = (screen: string) => pickedLine(screen)?.startsWith(label) ?? false;
  for (let i = 0; i < maxKeys && !selected(s.screen()); i++) {
    const before = pickedLine(s.screen());
    s.write(key);
    await s.waitFor((screen) => pickedLine(screen) !== before, 3000).catch(() => undefined);
  }
  await s.waitFor(selected, 2000);
  s.write('\r');
}

/**
 * Waits until everything the program wrote (raw, not the screen) holds each text, in that order,
 * and returns it. For what is on screen only briefly: under load the emulator may take a burst of
 * output at once, and a screen read between two of its writes is never seen.
 */
export async function waitForOutput(s: PtySession, texts: readonly string[], timeoutMs = 10_000): Promise<string> {
  const inOrder = (out: string) => {
    let at = 0;
    for (const t of texts) {
      at = out.indexOf(t, at);
      if (at < 0) return false;
      at += t.length;
    }
    return true;
  };
  await s.waitFor(() => inOrder(s.output), timeoutMs).catch(() => {
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${JSON.stringify(texts)} in the output; its end: ${JSON.stringify(s.output.slice(-600))}`);
  });
  return s.output;
}
