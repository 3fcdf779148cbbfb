// A file pulled to the local disk or pushed from it, streamed, for `lxtop file` and the files view.
import { chmodSync, createWriteStream, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { InstanceFiles } from '../lxd/files.js';

/** Where a pull writes: LOCAL, or LOCAL/NAME when LOCAL is a directory. */
export function pullTarget(local: string, path: string): string {
  try {
    if (statSync(local).isDirectory()) return join(local, basename(path));
  } catch {
    // not there yet: the file to make
  }
  return local;
}

/**
 * Pulls `path` into `local` (or into it, a directory), with the file's mode. Written beside the
 * target and renamed once complete: a failed pull leaves the old file as it was, and nothing else.
 */
export async function pullToFile(
  files: InstanceFiles,
  path: string,
  local: string,
  signal?: AbortSignal,
  progress?: (bytes: number) => void,
): Promise<{ target: string; bytes: number }> {
  const target = pullTarget(local, path);
  const part = `${target}.lxtop-part-${process.pid}`;
  try {
    const got = files.pullFile
      ? await files.pullFile(path, part, { signal, progress })
      : await files.pull(path, () => createWriteStream(part, { highWaterMark: 1 << 20 }), { signal, progress });
    if (got.mode !== null) chmodSync(part, got.mode & 0o777);
    renameSync(part, target);
    return { target, bytes: got.bytes };
  } catch (err) {
    rmSync(part, { force: true });
    throw err;
  }
}

/** The local file's size and mode, or a plain reason it cannot be pushed. */
export function localFile(local: string): { size: number; mode: number } | { error: string } {
  try {
    const s = statSync(local);
    if (!s.isFile()) return { error: `${local}: not a regular file` };
    return { size: s.size, mode: s.mode & 0o7777 };
  } catch (err) {
    return { error: `${local}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}` };
  }
}

/** Pushes `local` to `path` in the instance. */
export async function pushFromFile(files: InstanceFiles, local: string, path: string, opts: { mode: number; uid?: number; gid?: number; signal?: AbortSignal }): Promise<void> {
  await files.push(path, { file: local }, opts);
}
