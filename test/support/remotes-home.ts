// A temporary HOME and LXTOP_CONF whose lxtop configuration names sandbox daemons (and a socket
// that does not exist) as remotes by unix socket; lxc's and incus's own configuration stays empty.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RemotesHome {
  home: string;
  /** The environment for the CLI: this HOME and configuration, no *_SOCKET from the caller. */
  env: Record<string, string | undefined>;
  remove(): void;
}

/** `remotes`: name → socket path, protocol and project; the first one is the default remote. */
export function remotesHome(prefix: string, remotes: Record<string, { socket: string; protocol: 'lxd' | 'incus'; project?: string }>): RemotesHome {
  const home = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const conf = join(home, 'lxtop');
  mkdirSync(conf, { recursive: true });
  const entries = Object.entries(remotes);
  writeFileSync(
    join(conf, 'config.yml'),
    [
      `default-remote: ${entries[0][0]}`,
      'remotes:',
      ...entries.flatMap(([name, r]) => [`  ${name}:`, `    addr: unix://${r.socket}`, `    protocol: ${r.protocol}`, ...(r.project ? [`    project: ${r.project}`] : [])]),
      '',
    ].join('\n'),
  );
  return {
    home,
    env: { HOME: home, LXTOP_CONF: conf, LXD_CONF: join(home, 'lxc'), INCUS_CONF: join(home, 'incus'), LXD_SOCKET: undefined, INCUS_SOCKET: undefined },
    remove: () => rmSync(home, { recursive: true, force: true }),
  };
}
