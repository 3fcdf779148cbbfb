// Shared by the fault tests: timing a key to the frame that shows its effect, in a real pty.
import { readFileSync } from 'node:fs';
import type { PtySession } from '../support/pty.js';

export type ScreenCheck = string | RegExp | ((screen: string) => boolean);

/**
 * Writes `key` and resolves with the ms from the write until the screen (read through the headless
 * terminal after every chunk the program writes) satisfies `check`. Rejects after `timeoutMs`.
 */
export function keyToFrame(s: PtySession, key: string, check: ScreenCheck, timeoutMs = 3000): Promise<number> {
  return new Promise((resolve, reject) => {
    let done = false;
    const t0 = performance.now();
    const attempt = () =>
      s.waitFor(check, 0).then(
        () => {
          if (done) return;
          done = true;
          const ms = performance.now() - t0;
          sub.dispose();
          clearTimeout(timer);
          resolve(ms);
        },
        () => undefined,
      );
    const sub = s.pty.onData(() => void attempt());
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      sub.dispose();
      s.waitFor(check, 0).then(
        () => resolve(performance.now() - t0),
        (err: Error) => reject(new Error(`key ${JSON.stringify(key)}: no matching frame within ${timeoutMs} ms\n${err.message}`)),
      );
    }, timeoutMs);
    s.write(key);
  });
}

/** The table row of `name` on the screen, or '' (the `>`/`*` gutter kept). */
export function rowOf(screen: string, name: string): string {
  return screen.split('\n').find((l) => new RegExp(`^[> ][* ]${name}\\s`).test(l)) ?? '';
}

/** The selected row's name (the `>` gutter), or null. */
export function selectedName(screen: string): string | null {
  const line = screen.split('\n').find((l) => /^>[* ]\S/.test(l));
  return line ? line.slice(2).split(/\s+/)[0] : null;
}

/** The first child process of `pid` (the CLI under the `sh -c` of startCliThenStty). */
export function childOf(pid: number): number | null {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return children.length ? Number(children[0]) : null;
  } catch {
    return null;
  }
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for the CLI to end under startCliThenStty; its exit status and the `stty -a` text. */
export async function cliEnd(s: PtySession, timeoutMs = 15_000): Promise<{ status: number; stty: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const at = s.output.indexOf('CLI-EXIT=');
    if (at !== -1) {
      const rest = s.output.slice(at);
      // stty -a is complete enough once its local-flags line (icanon … echo …) ended.
      if (/^.*\bicanon\b.*\r?\n/m.test(rest)) return { status: Number(/^CLI-EXIT=(\d+)/.exec(rest)?.[1]), stty: rest };
    }
    if (Date.now() > deadline) throw new Error(`the CLI did not end in ${timeoutMs} ms; output:\n${s.output.slice(-2000)}`);
    await sleep(25);
  }
}

/** Cooked mode as `stty -a` shows it: canonical input and echo on. */
export function isCooked(stty: string): boolean {
  return /(^|\s)icanon(\s|$)/m.test(stty) && !/(^|\s)-icanon(\s|$)/m.test(stty) && /(^|\s)echo(\s|$)/m.test(stty) && !/(^|\s)-echo(\s|$)/m.test(stty);
}
