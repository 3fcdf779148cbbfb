// A temporary HOME, lxtop configuration and TMPDIR for the ssh:// tests: the tunnels' private
// directories go to this TMPDIR, so a test sees exactly what its lxtop left behind there.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sshd } from './sshd.js';
import { sshProcessesWith } from './sshd.js';

export interface SshHome {
  home: string;
  tmp: string;
  env: Record<string, string | undefined>;
  /** What lxtop left: private directories in TMPDIR and ssh processes forwarding into it. */
  leftovers(): { dirs: string[]; ssh: number[] };
  remove(): void;
}

export function sshHome(prefix: string, sshd: Sshd): SshHome {
  const home = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const tmp = join(home, 'tmp');
  mkdirSync(tmp);
  mkdirSync(join(home, 'lxtop'));
  return {
    home,
    tmp,
    env: {
      HOME: home,
      TMPDIR: tmp,
      LXTOP_CONF: join(home, 'lxtop'),
      LXD_CONF: join(home, 'lxc'),
      INCUS_CONF: join(home, 'incus'),
      LXD_SOCKET: undefined,
      INCUS_SOCKET: undefined,
      ...sshd.env,
    },
    leftovers: () => ({ dirs: readdirSync(tmp).filter((n) => n.startsWith('lxtop-ssh-')), ssh: sshProcessesWith(tmp) }),
    remove: () => rmSync(home, { recursive: true, force: true }),
  };
}
