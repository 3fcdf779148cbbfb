// The ssh command line of a tunnel, and the few lines of sh it runs on the far side. ssh is the
// system's: ~/.ssh/config, the agent, jump hosts and known_hosts apply as they do for `ssh host`.
import type { SshAddress } from './address.js';

/** Where LXD (snap, then Debian) and Incus put their socket: the order lxtop looks in locally. */
export const REMOTE_SOCKETS = [
  '/var/snap/lxd/common/lxd/unix.socket',
  '/var/lib/lxd/unix.socket',
  '/run/incus/unix.socket',
  '/var/lib/incus/unix.socket',
];

export interface SshSettings {
  /** `-F FILE` ($LXTOP_SSH_CONFIG): an ssh config file instead of ~/.ssh/config. */
  configFile?: string;
  /** More ssh options, before lxtop's ($LXTOP_SSH_OPTIONS, split on spaces): theirs win. */
  extra: string[];
  /** ssh's ConnectTimeout, seconds ($LXTOP_SSH_TIMEOUT, default 10). */
  connectTimeout: number;
  /** The ssh program ($LXTOP_SSH, default `ssh`). */
  program: string;
  /** Where to look for the daemon's socket on the far side ($LXTOP_SSH_SOCKETS, colon-separated). */
  sockets: string[];
}

export function sshSettings(env: Record<string, string | undefined> = process.env): SshSettings {
  const timeout = Number(env.LXTOP_SSH_TIMEOUT);
  return {
    configFile: env.LXTOP_SSH_CONFIG || undefined,
    extra: (env.LXTOP_SSH_OPTIONS ?? '').split(/\s+/).filter(Boolean),
    connectTimeout: Number.isFinite(timeout) && timeout > 0 ? timeout : 10,
    program: env.LXTOP_SSH || 'ssh',
    sockets: env.LXTOP_SSH_SOCKETS ? env.LXTOP_SSH_SOCKETS.split(':').filter(Boolean) : [...REMOTE_SOCKETS],
  };
}

/** Single quotes for sh. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The far side's part of a probe: prints `lxtop-socket ok|denied PATH` for the first of `paths`
 * that is a socket (denied: the user may not open it), or `lxtop-socket none`.
 */
export function remoteScript(paths: readonly string[]): string {
  const list = paths.map(shQuote).join(' ');
  const script =
    `for p in ${list}; do if [ -S "$p" ]; then ` +
    `if [ -r "$p" ] && [ -w "$p" ]; then echo "lxtop-socket ok $p"; else echo "lxtop-socket denied $p"; fi; exit 0; fi; done; ` +
    `echo "lxtop-socket none"`;
  // The login shell may not be sh (fish, csh): hand the script to sh.
  return `sh -c ${shQuote(script)}`;
}

/**
 * The options every ssh of lxtop's gets. BatchMode: ssh never asks for a password or a host key
 * inside lxtop's screen; it fails instead, in its own words. ServerAlive*: a dead link is noticed
 * within ~15 s even when nothing is being sent. ControlMaster=no: the process is the connection,
 * so ending it ends the link. RemoteCommand=none: a Host's RemoteCommand would refuse the probe's
 * command. The user's -F file and options come first: theirs win.
 */
function baseArgs(address: SshAddress, settings: SshSettings): string[] {
  const args: string[] = [];
  if (settings.configFile) args.push('-F', settings.configFile);
  args.push(...settings.extra);
  for (const o of [
    'BatchMode=yes',
    `ConnectTimeout=${settings.connectTimeout}`,
    'ServerAliveInterval=5',
    'ServerAliveCountMax=3',
    'ControlMaster=no',
    'ControlPath=none',
    'RemoteCommand=none',
  ]) {
    args.push('-o', o);
  }
  if (address.port !== undefined) args.push('-p', String(address.port));
  return args;
}

/** `ssh … HOST sh -c '…'`: which of `paths` is the daemon's socket, and may the user open it. */
export function probeArgs(address: SshAddress, settings: SshSettings, paths: readonly string[]): string[] {
  return [...baseArgs(address, settings), '-T', '--', address.destination, remoteScript(paths)];
}

/** A local socket and the far one ssh connects it to. */
export type ForwardPair = readonly [local: string, remote: string];

/**
 * `ssh -N -L LOCAL:REMOTE [-L …] HOST`: the forwards alone, no shell on the far side (a login shell
 * can take a second to start). ssh opens a far socket only when a local connection arrives, so
 * one `-L` per candidate path costs nothing until tried. ExitOnForwardFailure: a local socket that
 * cannot be made ends ssh at once; StreamLocalBindMask: the sockets are the user's only, inside a
 * directory that is too.
 */
export function forwardArgs(address: SshAddress, settings: SshSettings, pairs: readonly ForwardPair[]): string[] {
  const opts = ['ExitOnForwardFailure=yes', 'StreamLocalBindUnlink=yes', 'StreamLocalBindMask=0177'];
  const forwards = pairs.flatMap(([local, remote]) => ['-L', `${local}:${remote}`]);
  return [...baseArgs(address, settings), ...opts.flatMap((o) => ['-o', o]), '-N', ...forwards, '--', address.destination];
}
