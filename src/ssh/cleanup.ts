// Every way out of lxtop ends its ssh processes and removes their private directories: quit and
// crash reach the 'exit' handler; SIGTERM, SIGHUP and SIGINT do too (through the terminal's own
// handlers in the TUI, or through these when nothing else listens). A SIGKILL cannot be caught:
// the next lxtop that opens a tunnel ends that lxtop's ssh and removes its directory.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Disposable {
  /** Synchronous: it runs inside the 'exit' handler. */
  disposeSync(): void;
}

const live = new Set<Disposable>();
let installed = false;
const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

function disposeAll(): void {
  for (const d of [...live]) {
    try {
      d.disposeSync();
    } catch {
      // exiting anyway
    }
  }
  live.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', disposeAll);
  for (const signal of Object.keys(SIGNALS) as NodeJS.Signals[]) {
    process.on(signal, () => {
      // Another listener (the terminal's restore, the console's signal forwarding) decides what
      // the signal means; it exits through process.exit, which reaches disposeAll.
      if (process.listenerCount(signal) > 1) return;
      disposeAll();
      process.exit(128 + SIGNALS[signal]);
    });
  }
}

/** Disposed on exit unless untracked first. Returns the untrack function. */
export function track(d: Disposable): () => void {
  install();
  live.add(d);
  return () => void live.delete(d);
}

export const DIR_PREFIX = 'lxtop-ssh-';

/** Ends the ssh processes whose command line names `dir` (a forward into it). */
function killForwardsInto(dir: string): void {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return; // no /proc: nothing to look in
  }
  for (const pid of pids) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (/(^|\/)ssh$/.test(argv[0]) && argv.some((a) => a.startsWith(`${dir}/`))) process.kill(Number(pid), 'SIGTERM');
    } catch {
      // gone, or not ours
    }
  }
}

/** The private directories of lxtops that are gone (killed by SIGKILL): their ssh ended, removed. */
export function sweepStaleDirs(base = tmpdir()): void {
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const m = new RegExp(`^${DIR_PREFIX}(\\d+)-`).exec(name);
    if (!m || Number(m[1]) === process.pid) continue;
    try {
      if (uid !== undefined && statSync(join(base, name)).uid !== uid) continue;
      process.kill(Number(m[1]), 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') continue;
      killForwardsInto(join(base, name));
      rmSync(join(base, name), { recursive: true, force: true });
    }
  }
}
