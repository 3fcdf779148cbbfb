// Where the real sandbox daemons are. Tests that need one call `daemon('lxd')`: it returns the
// socket, or — when the daemon is not up — fails under CI and skips elsewhere, never passes.
import { existsSync } from 'node:fs';
import { beforeEach, describe } from 'vitest';
import { canRunPrivateLxd } from '../faults/private-lxd.js';
import { join } from 'node:path';

export type DaemonName = 'lxd' | 'incus' | 'cluster' | 'cluster2';

const sandboxDir = process.env.LXTOP_SANDBOX ?? '/var/tmp/lxtop-sandbox';

const envVar: Record<DaemonName, string> = {
  lxd: 'LXD_SOCKET',
  incus: 'INCUS_SOCKET',
  cluster: 'CLUSTER_SOCKET',
  cluster2: 'CLUSTER2_SOCKET',
};

const dirName: Record<DaemonName, string> = {
  lxd: 'lxd',
  incus: 'incus',
  cluster: 'cluster1',
  cluster2: 'cluster2',
};

/** The daemon's unix socket, or null when it is not running. */
export function daemonSocket(name: DaemonName): string | null {
  const fromEnv = process.env[envVar[name]];
  const path = fromEnv && fromEnv.length > 0 ? fromEnv : join(sandboxDir, dirName[name], 'unix.socket');
  return existsSync(path) ? path : null;
}

/** For `describeOn` and the like: under CI a missing daemon throws instead of skipping. */
export function hasDaemon(name: DaemonName): boolean {
  const socket = daemonSocket(name);
  if (socket === null && process.env.CI) {
    throw new Error(`CI is set but the ${name} sandbox daemon is not running (scripts/sandbox up ${name})`);
  }
  return socket !== null;
}

export function requireSocket(name: DaemonName): string {
  const socket = daemonSocket(name);
  if (socket === null) throw new Error(`the ${name} sandbox daemon is not running (scripts/sandbox up ${name})`);
  return socket;
}

/** A real daemon a suite runs on: a sandbox one, or a private LXD the test starts itself. */
export type DaemonLabel = DaemonName | 'private-lxd';

declare module 'vitest' {
  interface TaskMeta {
    /** The real daemons the test ran on (the summary reporter counts passed tests per daemon). */
    daemons?: readonly DaemonLabel[];
  }
}

/**
 * `describe` for tests on real daemons: skipped when one is missing (under CI that fails instead,
 * see hasDaemon), and every test tagged with its daemons, so the suite's summary counts them.
 */
export function describeOn(daemons: readonly DaemonLabel[], name: string, body: () => void): void {
  const ready = daemons.map((d) => (d === 'private-lxd' ? canRunPrivateLxd() : hasDaemon(d))).every(Boolean);
  describe.skipIf(!ready)(name, () => {
    beforeEach(({ task }) => {
      task.meta.daemons = daemons;
    });
    body();
  });
}

/** The sandbox daemons' HTTPS addresses (`scripts/sandbox env`; a second sandbox has ports of its own). */
export const LXD_URL = process.env.LXTOP_LXD_HTTPS ?? 'https://127.0.0.1:18443';
export const INCUS_URL = process.env.LXTOP_INCUS_HTTPS ?? 'https://127.0.0.1:18444';
export const CLUSTER_PORT = process.env.LXTOP_CLUSTER_PORT ?? '18445';

/** A string as a regular expression that matches it literally. */
export function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
