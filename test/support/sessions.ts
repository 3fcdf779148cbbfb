// Helpers for the session tests: a private holder per test (its own XDG_RUNTIME_DIR, so tests never
// share one), the built CLI run with it, and the holder stopped at the end.
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startExecThenStty, type CliRun } from './exec-instances.js';
import type { PtyOptions, PtySession } from './pty.js';

export interface HolderHome {
  runtime: string;
  dir: string;
  socket: string;
  env: Record<string, string>;
  lxtop(args: string[], input?: string): Promise<CliRun>;
  /** The built CLI in a pty through a shell that prints CLI-EXIT and `stty -a` after it. */
  pty(args: string[], opts?: PtyOptions): PtySession;
  holderPid(): number | null;
  /** The terminals (/dev/pts/N) the holder has open: the one it drives while a client is attached. */
  holderTerminals(): string[];
  /** SIGTERM to the holder (the sessions end with it) and the directory removed. */
  dispose(): Promise<void>;
}

export function holderHome(extraEnv: Record<string, string> = {}): HolderHome {
  const runtime = mkdtempSync(join(tmpdir(), 'lxtop-sess-'));
  const dir = join(runtime, 'lxtop');
  const env = { XDG_RUNTIME_DIR: runtime, LXTOP_HOLDER_LINGER_MS: '60000', ...extraEnv };
  const holderPid = (): number | null => {
    try {
      return Number(readFileSync(join(dir, 'holder.lock'), 'utf8').trim()) || null;
    } catch {
      return null;
    }
  };
  const holderTerminals = (): string[] => {
    const fdDir = `/proc/${holderPid()}/fd`;
    const open = readdirSync(fdDir).map((fd) => {
      try {
        return readlinkSync(`${fdDir}/${fd}`);
      } catch {
        return '';
      }
    });
    return [...new Set(open.filter((p) => p.startsWith('/dev/pts/')))];
  };
  return {
    runtime,
    dir,
    socket: join(dir, 'sessions.sock'),
    env,
    lxtop: (args, input) => runCli(args, input, 30_000, env),
    pty: (args, opts = {}) => startExecThenStty(args, { ...opts, env: { ...env, ...opts.env } }),
    holderPid,
    holderTerminals,
    async dispose() {
      const pid = holderPid();
      if (pid !== null) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // gone
        }
        for (let i = 0; i < 50 && existsSync(join(dir, 'sessions.sock')); i++) await new Promise((r) => setTimeout(r, 100));
      }
      rmSync(runtime, { recursive: true, force: true });
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it holds; throws with `what` after `ms`. */
export async function eventually<T>(what: string, check: () => Promise<T | null | undefined | false>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms: ${what}`);
    await sleep(100);
  }
}
