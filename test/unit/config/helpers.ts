// Temp config homes for the config / remote unit tests: nothing touches the real ~/.config.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempHome {
  root: string;
  env: Record<string, string | undefined>;
  /** Writes `rel` (relative to root), creating directories. */
  write(rel: string, content: string): string;
  path(rel: string): string;
  cleanup(): void;
}

export function tempHome(): TempHome {
  const root = mkdtempSync(join(tmpdir(), 'lxtop-config-'));
  const env: Record<string, string | undefined> = {
    HOME: root,
    LXD_CONF: undefined,
    INCUS_CONF: undefined,
    LXTOP_CONF: undefined,
    LXD_SOCKET: undefined,
    LXD_DIR: undefined,
    INCUS_SOCKET: undefined,
    INCUS_DIR: undefined,
  };
  return {
    root,
    env,
    write(rel, content) {
      const p = join(root, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, content);
      return p;
    },
    path: (rel) => join(root, rel),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
