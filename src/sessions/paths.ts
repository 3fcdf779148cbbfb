// Where the session holder listens: `$XDG_RUNTIME_DIR/lxtop/` (the runtime directory is the user's
// own, mode 0700, by the XDG spec), else `/tmp/lxtop-<uid>/`. Either directory is made 0700 and
// checked (ours, no access for group or others) before use: a directory someone else made, or one
// others can enter, could let them reach the socket or swap it for their own.
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface HolderPaths {
  dir: string;
  socket: string;
  /** Held by the running holder (its pid): a second one starting at the same time backs off. */
  lock: string;
  /** The holder's stdout and stderr (it has no terminal). */
  log: string;
}

export function holderPaths(env: NodeJS.ProcessEnv = process.env): HolderPaths {
  const runtime = env.XDG_RUNTIME_DIR;
  const uid = process.getuid?.() ?? 0;
  const dir = runtime ? join(runtime, 'lxtop') : join(tmpdir(), `lxtop-${uid}`);
  return { dir, socket: join(dir, 'sessions.sock'), lock: join(dir, 'holder.lock'), log: join(dir, 'holder.log') };
}

export class UnsafeDirError extends Error {
  override name = 'UnsafeDirError';
}

/** Makes the directory (0700) if missing; throws UnsafeDirError when it is not private to us. */
export function ensurePrivateDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  checkPrivateDir(dir);
}

export function checkPrivateDir(dir: string): void {
  const st = lstatSync(dir);
  const uid = process.getuid?.();
  if (!st.isDirectory()) throw new UnsafeDirError(`${dir} is not a directory`);
  if (uid !== undefined && st.uid !== uid) throw new UnsafeDirError(`${dir} belongs to uid ${st.uid}, not to this user (${uid})`);
  if ((st.mode & 0o077) !== 0) {
    // Ours but too open (made by an older umask): tighten it rather than refuse.
    chmodSync(dir, 0o700);
  }
}
