// Fresh `/state` samples shared between the lxtops of one user watching one daemon, through small
// files in $XDG_RUNTIME_DIR/lxtop (else $TMPDIR/lxtop-UID, created 0700 and checked to be ours).
//
// Why: a `/state` costs the daemon ~0.1 s of CPU (it forks a helper into the instance's network
// namespace) and the daemon caches nothing of it. Three lxtops watching the same selected instance
// every 2 s would cost three times one; with this, one of them asks and the others read its
// answer. `/1.0/metrics` needs no such help: the daemon caches it itself (metrics-time.ts).
//
// How: every sample is a file `<daemon>/<key hash>.json` ({ key, at, state }, written to a temp
// file and renamed, so readers never see half of one). Before asking, an lxtop reads the file: a
// sample new enough is used as is, at its own time. Otherwise it claims the slot (a file
// `<hash>.claim.<slot>` created with O_EXCL: one lxtop wins); a loser waits briefly for the
// winner's file and asks itself only if it does not come. Anything failing here (no directory,
// not ours, a full disk) turns sharing off: each lxtop then asks for itself, as before.
// A daemon's directory that nothing wrote to for a day goes in the sweep of old claims (at most once
// a minute, from the first claim on, not at start): one is made per daemon ever watched (the test
// suite's daemons left hundreds).
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InstanceState } from '../lxd/types.js';

export interface SharedSample {
  /** When it was measured (epoch ms). */
  at: number;
  state: InstanceState;
}

export interface SharedSamples {
  /** The shared sample of `key`, if one measured at or after `since` exists. */
  read(key: string, since: number): SharedSample | null;
  /** Be the one lxtop that asks for `key` in the slot starting at `slot` (epoch ms); false: another is. */
  claim(key: string, slot: number): boolean;
  write(key: string, sample: SharedSample): void;
}

const hash = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 20);

/** The user's private directory for lxtop's runtime files, or null when there is none that is safely ours. */
function runtimeDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  const base = env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'lxtop') : join(tmpdir(), `lxtop-${uid ?? 'user'}`);
  try {
    mkdirSync(base, { recursive: true, mode: 0o700 });
    const st = lstatSync(base);
    if (!st.isDirectory() || (uid !== null && st.uid !== uid) || (st.mode & 0o077) !== 0) return null;
    return base;
  } catch {
    return null;
  }
}

const CLAIM_KEEP_MS = 60_000;
const DAEMON_KEEP_MS = 24 * 3600_000;
const DAEMON_DIR = /^[0-9a-f]{20}$/;

/** Removes the daemons' directories under `base` that nothing wrote to for DAEMON_KEEP_MS (a sample's rename, a claim). */
function sweepDaemons(base: string, keep: string, now: number): void {
  try {
    for (const name of readdirSync(base)) {
      if (name === keep || !DAEMON_DIR.test(name)) continue;
      const at = join(base, name);
      const st = lstatSync(at);
      if (st.isDirectory() && now - st.mtimeMs > DAEMON_KEEP_MS) rmSync(at, { recursive: true, force: true });
    }
  } catch {
    // another lxtop swept first, or the directory is not readable: nothing to tidy
  }
}

/**
 * The shared samples of one daemon (`daemonId`: its socket path or URL), or null when there is no
 * private directory for them.
 */
export function openSharedSamples(daemonId: string, opts: { dir?: string | null; now?: () => number } = {}): SharedSamples | null {
  const base = opts.dir === undefined ? runtimeDir() : opts.dir;
  if (!base) return null;
  const now = opts.now ?? Date.now;
  const name = hash(daemonId);
  const dir = join(base, name);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    return null;
  }
  let broken = false;
  let sweptAt = 0;
  /** Claims of slots long past (an lxtop that died while asking leaves its claim behind), and other daemons' idle directories. */
  const sweep = () => {
    const t = now();
    if (t - sweptAt < CLAIM_KEEP_MS) return;
    sweptAt = t;
    try {
      for (const f of readdirSync(dir)) {
        const m = /\.claim\.(\d+)$/.exec(f);
        if (m && t - Number(m[1]) > CLAIM_KEEP_MS) unlinkSync(join(dir, f));
      }
    } catch {
      // another lxtop swept first
    }
    sweepDaemons(base, name, t);
  };
  return {
    read(key, since) {
      if (broken) return null;
      try {
        const v = JSON.parse(readFileSync(join(dir, `${hash(key)}.json`), 'utf8')) as { key?: unknown; at?: unknown; state?: unknown };
        if (v.key !== key || typeof v.at !== 'number' || !v.state || typeof v.state !== 'object') return null;
        // A sample from the future (another machine's clock? a bad file) is not trusted.
        if (v.at < since || v.at > now() + 1000) return null;
        return { at: v.at, state: v.state as InstanceState };
      } catch {
        return null;
      }
    },
    claim(key, slot) {
      if (broken) return true;
      sweep();
      try {
        closeSync(openSync(join(dir, `${hash(key)}.claim.${Math.floor(slot)}`), 'wx', 0o600));
        return true;
      } catch (err) {
        if ((err as { code?: string }).code === 'EEXIST') return false;
        broken = true;
        return true;
      }
    },
    write(key, sample) {
      if (broken) return;
      const file = join(dir, `${hash(key)}.json`);
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        writeFileSync(tmp, JSON.stringify({ key, at: sample.at, state: sample.state }), { mode: 0o600 });
        renameSync(tmp, file);
      } catch {
        broken = true;
      }
    },
  };
}
