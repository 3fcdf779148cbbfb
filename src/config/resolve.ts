// From `lxtop [remote:] [--remote NAME] [--project P] [--all-projects]` and the loaded configuration
// to the thing to connect to: a unix socket or an HTTPS server with a client certificate and a pin.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSshUrl } from '../ssh/address.js';
import { findRemote, namesakes } from './load.js';
import type { Env } from './paths.js';
import { sshTarget } from './ssh-target.js';
import { ConfigError, type LoadedConfig, type RemoteEntry, type Target, type TargetOptions } from './types.js';

export { sshTarget } from './ssh-target.js';

export interface ResolveOptions extends TargetOptions {
  env?: Env;
  /**
   * A bare `unix://` remote of one daemon (lxc's `local` is LXD, incus's is Incus) also tries the
   * other daemon's sockets when its own do not answer. Default: only when the remote was not named
   * (the configuration's default): on a host where any lxc command ran, plain `lxtop` must still
   * reach a lone Incus. A remote the user named means its own daemon only.
   */
  fallback?: boolean;
}

const daemonName = { lxd: 'LXD', incus: 'Incus' } as const;

function readPem(file: string, what: string, remote: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ConfigError(`remote "${remote}": no ${what} at ${file} (lxtop remote add creates one)`);
    }
    throw new ConfigError(`remote "${remote}": cannot read ${what} ${file}: ${(err as Error).message}`);
  }
}

/** The https URL of an addr, normalised (`https://host:port`, no path, no trailing slash). */
export function httpsUrl(addr: string): string {
  const u = new URL(addr);
  return `${u.protocol}//${u.host}`;
}

export function serverCertFile(dir: string, remote: string): string {
  return join(dir, 'servercerts', `${remote}.crt`);
}

/**
 * The daemon a bare `unix://` remote means, "this CLI's local daemon": lxc → LXD, incus → Incus;
 * lxtop's own and the built-in one: whichever answers (undefined), unless the protocol says which.
 */
function localServer(entry: RemoteEntry): 'lxd' | 'incus' | undefined {
  if (entry.source === 'incus' || entry.protocol === 'incus') return 'incus';
  if (entry.source === 'lxc' || (entry.source === 'lxtop' && entry.protocol === 'lxd')) return 'lxd';
  return undefined;
}

export function targetForRemote(entry: RemoteEntry, opts: ResolveOptions = {}): Target {
  const project = opts.project ?? entry.project;
  const allProjects = opts.allProjects === true;
  const where = entry.source === 'builtin' ? '(built-in)' : entry.file;
  if (entry.protocol === 'simplestreams') {
    throw new ConfigError(`remote "${entry.name}" (${entry.addr}, ${where}) is a simplestreams image server, not an LXD or Incus server`);
  }
  if (entry.addr.startsWith('unix:')) {
    const path = entry.addr.replace(/^unix:(\/\/)?/, '');
    if (path.length > 0) return { kind: 'unix', socket: path, project, allProjects, remote: entry.id, wanted: `remote "${entry.id}" (${where})` };
    // The sockets are found when connecting (src/lxd/socket.ts), so that every path tried is reported.
    const server = localServer(entry);
    const fallback = opts.fallback ?? true;
    // The built-in `local` is plain discovery: nothing to add to "No LXD or Incus daemon found".
    const wanted = entry.source === 'builtin' ? undefined : `remote "${entry.id}" (${where}${server ? `, the local ${daemonName[server]}` : ''})`;
    return { kind: 'unix', server, fallback, project, allProjects, remote: entry.id, wanted };
  }
  if (isSshUrl(entry.addr)) return sshTarget(entry.addr, entry.id, { ...opts, project });
  if (!/^https:\/\//i.test(entry.addr)) {
    throw new ConfigError(`remote "${entry.name}" (${where}): unsupported address ${entry.addr} (expected https://HOST:PORT, ssh://HOST or unix://)`);
  }
  if (entry.authType !== 'tls') {
    throw new ConfigError(`remote "${entry.name}" (${where}): auth_type ${entry.authType} is not supported by lxtop (only tls)`);
  }
  let url: string;
  try {
    url = httpsUrl(entry.addr);
  } catch {
    throw new ConfigError(`remote "${entry.name}" (${where}): invalid address ${entry.addr}`);
  }
  const certFile = join(entry.dir, 'client.crt');
  const keyFile = join(entry.dir, 'client.key');
  const cert = readPem(certFile, 'client certificate', entry.name);
  const key = readPem(keyFile, 'client key', entry.name);
  const pinFile = serverCertFile(entry.dir, entry.name);
  const hasPin = existsSync(pinFile);
  const serverCert = hasPin ? readPem(pinFile, 'pinned server certificate', entry.name) : null;
  return {
    kind: 'https',
    url,
    cert,
    key,
    serverCert,
    project,
    allProjects,
    remote: entry.id,
    certFile,
    keyFile,
    serverCertFile: hasPin ? pinFile : null,
    protocol: entry.protocol,
  };
}

/**
 * The target for these options: `opts.remote` (or the default remote) looked up in the
 * configuration. Throws ConfigError with a message fit for the user.
 */
export function resolveTarget(config: LoadedConfig, opts: ResolveOptions = {}): Target {
  // A one-off `lxtop ssh://admin@host`: no configuration entry needed.
  if (opts.remote !== undefined && isSshUrl(opts.remote)) return sshTarget(opts.remote, opts.remote, opts);
  const named = opts.remote !== undefined;
  const name = opts.remote ?? config.defaultRemote;
  const entry = findRemote(config, name);
  if (!entry) {
    const known = config.remotes.filter((r) => !(r.shadowed && r.source === 'builtin')).map((r) => r.id).join(', ');
    throw new ConfigError(`remote "${name}" not found (known remotes: ${known}; see lxtop remote list)`);
  }
  const target = targetForRemote(entry, { ...opts, fallback: opts.fallback ?? !named });
  const others = namesakes(config, entry);
  if (named && others.length > 0 && name === entry.name) {
    // `local:` while lxc and incus both define local: say which one, and how to pick the other.
    const of = (r: RemoteEntry) => (r.source === 'lxtop' ? "lxtop's" : `${r.source}'s`);
    target.note = `"${name}" is ${of(entry)} remote (${entry.file}); ${others.map((o) => `${of(o)} is ${o.id}`).join(', ')}`;
  }
  if (target.kind === 'unix' && target.server && !target.fallback) {
    const other = target.server === 'lxd' ? 'incus' : 'lxd';
    const alt = others.find((o) => /^unix:(\/\/)?$/.test(o.addr) && localServer(o) === other);
    target.hint = alt
      ? `(${entry.id} is the local ${daemonName[target.server]} only; ${alt.id} is the local ${daemonName[other]})`
      : `(${entry.id} names the local ${daemonName[target.server]}; without a remote name lxtop tries ${daemonName[other]} too)`;
  }
  return target;
}

// Kept in a file of its own (no YAML parser behind it): the CLI parses its arguments at every start.
export { parseTargetArgs } from './target-args.js';

/** A short label for headers and messages: `prod (https://10.0.0.5:8443)`, `local (unix:/path)`. */
export function describeTarget(t: Target): string {
  const where =
    t.kind === 'https' || t.kind === 'ssh' ? t.url : t.socket ? `unix:${t.socket}` : t.server ? `local ${daemonName[t.server]}` : 'local socket';
  const scope = t.allProjects ? ', all projects' : t.project && t.project !== 'default' ? `, project ${t.project}` : '';
  if (t.remote === where) return scope ? `${where} (${scope.slice(2)})` : where;
  return `${t.remote} (${where}${scope})`;
}
