// `lxtop remote ...` command lines.
import { isSshUrl, parseSshUrl } from '../ssh/address.js';

export interface AddArgs {
  cmd: 'add';
  name: string;
  url: string;
  token?: string;
  password?: string;
  acceptCertificate: boolean;
  project?: string;
  /** An ssh:// address: the daemon's socket through ssh (no certificates, no trust step). */
  ssh?: boolean;
}

export type RemoteArgs =
  | AddArgs
  | { cmd: 'list' }
  | { cmd: 'remove'; name: string }
  | { cmd: 'switch'; name: string }
  | { cmd: 'help' };

export class UsageError extends Error {
  override name = 'UsageError';
}

export const usage = `Usage:
  lxtop remote list
  lxtop remote add NAME https://HOST[:PORT] [--token T | --password P] [--accept-certificate] [--project P]
  lxtop remote add NAME ssh://[USER@]HOST[:PORT][/path/to/unix.socket] [--project P]
  lxtop remote remove NAME        (remotes of lxtop's own configuration)
  lxtop remote switch NAME        (make NAME lxtop's default remote)

remote add reads the server's certificate and shows its SHA-256 fingerprint; trust it on the prompt,
or pass --accept-certificate when not on a terminal. A token (Incus, LXD >= 6.1, or LXD 5's
'lxc config trust add') or the trust password (LXD 5) makes the server trust lxtop's client
certificate. The password is never stored.

An ssh:// remote runs the system ssh client (your ~/.ssh/config, agent and known_hosts; or
$LXTOP_SSH_CONFIG) in batch mode and forwards the daemon's unix socket; without a path, the LXD
(snap, Debian) and Incus socket locations are tried on the far side.
`;

/** A remote name as lxc accepts it: no ':' or '/', not empty, no spaces. */
export function validRemoteName(name: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name);
}

/** `https://host:port` from `https://host[:port][/]`, `host[:port]` or `[v6]:port`; 8443 by default. */
export function normaliseUrl(input: string): string {
  let s = input.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    if (!/^https:\/\//i.test(s)) throw new UsageError(`${input}: only https:// remotes can be added`);
  } else {
    s = `https://${s}`;
  }
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new UsageError(`${input}: not a valid address (expected https://HOST:PORT)`);
  }
  if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash || u.username || u.password) {
    throw new UsageError(`${input}: expected https://HOST:PORT with no path`);
  }
  return `https://${u.hostname}:${u.port || '8443'}`;
}

function takeValue(args: string[], i: number, flag: string): [string, number] {
  const a = args[i];
  const eq = a.indexOf('=');
  if (eq >= 0) return [a.slice(eq + 1), i];
  const v = args[i + 1];
  if (v === undefined) throw new UsageError(`${flag} needs a value`);
  return [v, i + 1];
}

export function parseRemoteArgs(args: string[]): RemoteArgs {
  const [cmd, ...rest] = args;
  if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') return { cmd: 'help' };
  if (cmd === 'list' || cmd === 'ls') {
    if (rest.length > 0) throw new UsageError(`remote list takes no arguments (got ${rest.join(' ')})`);
    return { cmd: 'list' };
  }
  if (cmd === 'remove' || cmd === 'rm' || cmd === 'switch') {
    if (rest.length !== 1) throw new UsageError(`remote ${cmd} takes one remote name`);
    return { cmd: cmd === 'switch' ? 'switch' : 'remove', name: rest[0] };
  }
  if (cmd !== 'add') throw new UsageError(`unknown remote command: ${cmd}`);
  const positional: string[] = [];
  const out: Partial<AddArgs> = { acceptCertificate: false };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const flag = a.split('=')[0];
    if (flag === '--token' || flag === '--password' || flag === '--project') {
      const [v, next] = takeValue(rest, i, flag);
      i = next;
      if (v.length === 0) throw new UsageError(`${flag} needs a value`);
      if (flag === '--token') out.token = v;
      else if (flag === '--password') out.password = v;
      else out.project = v;
    } else if (a === '--accept-certificate') {
      out.acceptCertificate = true;
    } else if (a.startsWith('-')) {
      throw new UsageError(`unknown option for remote add: ${a}`);
    } else {
      positional.push(a);
    }
  }
  if (positional.length !== 2) throw new UsageError('remote add needs NAME and https://HOST:PORT (or ssh://HOST)');
  if (out.token !== undefined && out.password !== undefined) throw new UsageError('give --token or --password, not both');
  const [name, addr] = positional;
  if (!validRemoteName(name)) throw new UsageError(`invalid remote name "${name}" (letters, digits, '.', '_', '-'; no ':' or '/')`);
  if (isSshUrl(addr)) {
    if (out.token !== undefined || out.password !== undefined) throw new UsageError('an ssh:// remote takes no --token or --password (ssh authenticates)');
    try {
      parseSshUrl(addr);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    return { ...out, cmd: 'add', name, url: addr, ssh: true } as AddArgs;
  }
  return { ...out, cmd: 'add', name, url: normaliseUrl(addr) } as AddArgs;
}
