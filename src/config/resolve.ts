// From `lxtop [remote:] [--remote NAME] [--project P] [--all-projects]` and the loaded configuration
// to the thing to connect to: a unix socket or an HTTPS server with a client certificate and a pin.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRemote } from './load.js';
import { findSocket, type Env } from './paths.js';
import { ConfigError, type LoadedConfig, type RemoteEntry, type Target, type TargetOptions } from './types.js';

export interface ResolveOptions extends TargetOptions {
  env?: Env;
}

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

export function targetForRemote(entry: RemoteEntry, opts: ResolveOptions = {}): Target {
  const env = opts.env ?? process.env;
  const project = opts.project ?? entry.project;
  const allProjects = opts.allProjects === true;
  const where = entry.source === 'builtin' ? '(built-in)' : entry.file;
  if (entry.protocol === 'simplestreams') {
    throw new ConfigError(`remote "${entry.name}" (${entry.addr}, ${where}) is a simplestreams image server, not an LXD or Incus server`);
  }
  if (entry.addr.startsWith('unix:')) {
    const path = entry.addr.replace(/^unix:(\/\/)?/, '');
    if (path.length > 0) return { kind: 'unix', socket: path, project, allProjects, remote: entry.name };
    // A bare unix:// means "this CLI's local daemon": lxc → LXD, incus → Incus; lxtop's own and the
    // built-in one find whichever answers (LXD first), unless the protocol says which.
    const server =
      entry.source === 'incus' || entry.protocol === 'incus'
        ? 'incus'
        : entry.source === 'lxc' || (entry.source === 'lxtop' && entry.protocol === 'lxd')
          ? 'lxd'
          : undefined;
    const socket = server ? findSocket(server, env) : undefined;
    return { kind: 'unix', socket, server, project, allProjects, remote: entry.name };
  }
  if (!/^https:\/\//i.test(entry.addr)) {
    throw new ConfigError(`remote "${entry.name}" (${where}): unsupported address ${entry.addr} (expected https://HOST:PORT or unix://)`);
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
    remote: entry.name,
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
  const name = opts.remote ?? config.defaultRemote;
  const entry = findRemote(config, name);
  if (!entry) {
    const known = [...new Set(config.remotes.map((r) => r.name))].join(', ');
    throw new ConfigError(`remote "${name}" not found (known remotes: ${known}; see lxtop remote list)`);
  }
  return targetForRemote(entry, opts);
}

// Kept in a file of its own (no YAML parser behind it): the CLI parses its arguments at every start.
export { parseTargetArgs } from './target-args.js';

/** A short label for headers and messages: `prod (https://10.0.0.5:8443)`, `local (unix:/path)`. */
export function describeTarget(t: Target): string {
  const where = t.kind === 'https' ? t.url : t.socket ? `unix:${t.socket}` : 'local socket';
  const scope = t.allProjects ? ', all projects' : t.project && t.project !== 'default' ? `, project ${t.project}` : '';
  return `${t.remote} (${where}${scope})`;
}
