// The command line's way to a daemon: connect (or print why not and exit 1), and the project a
// restricted client certificate may use. Every failure is explained through app/explain.ts, with
// what is known of the target by then (`failure`).
import type { CliOptions } from './app/args.js';
import { failureText, pemFingerprint, targetContext, type FailureContext } from './app/explain.js';
import { projectAccess, type ProjectAccess } from './app/project-check.js';
import type { SshTarget, TargetOptions } from './config/types.js';
import type { LxdApi } from './lxd/api.js';
import type { LxdClient } from './lxd/client.js';
import type { TransportOptions } from './lxd/transport.js';

/** Where lxtop talks to, for the explanation of a failure (filled in as soon as it is known). */
export const failure: FailureContext = {};

/**
 * Connects and checks the daemon answers; on failure prints the error (the socket paths tried, a
 * remote's refusal, or a changed certificate with both fingerprints) and exits 1. `--socket` wins;
 * otherwise the remote from `NAME:` / `--remote` / the configuration's default, like lxc does.
 */
export async function connectOrExit(
  opts: CliOptions,
  target: TargetOptions,
  transport: TransportOptions = {},
): Promise<{ api: LxdClient; label: string | null }> {
  try {
    return await openTarget(opts, target, transport, (note) => process.stderr.write(`lxtop: ${note}\n`));
  } catch (err) {
    process.stderr.write(failureText(err, failure));
    process.exit(1);
  }
}

/**
 * connectOrExit without the exit: throws what went wrong; `note` gets the warnings and notes the
 * command line prints. The session holder connects this way too, so its targets are the CLI's.
 */
export async function openTarget(
  opts: Pick<CliOptions, 'socket' | 'project'>,
  target: TargetOptions,
  transport: TransportOptions,
  note: (text: string) => void,
): Promise<{ api: LxdClient; label: string | null }> {
  failure.project = opts.project ?? target.project ?? null;
  // A one-off `lxtop ssh://…` needs no configuration: ssh starts first, the rest loads during
  // its handshake (src/ssh/connect.ts).
  if (!opts.socket && target.remote && isOneOffSsh(target.remote)) {
    const [{ sshTarget }, { connectSsh }] = await Promise.all([import('./config/ssh-target.js'), import('./ssh/connect.js')]);
    const ssh = sshTarget(target.remote, target.remote, { ...target, project: opts.project ?? target.project });
    failure.address = ssh.url;
    return sshConnected(ssh, await connectSsh(ssh, transport), note);
  }
  const { connect } = await import('./lxd/connect.js');
  if (opts.socket) {
    failure.address = `unix:${opts.socket}`;
    return { api: await connect({ ...transport, socket: opts.socket, project: opts.project }), label: null };
  }
  // No configuration anywhere (no lxc, incus or lxtop config.yml) and no remote named: the local
  // daemon, found the way the built-in `local` remote finds it, without loading the configuration
  // code and its YAML parser (about 25 ms before the first frame).
  if (!target.remote) {
    const { configSources } = await import('./config/paths.js');
    if (configSources().every((s) => !s.exists)) return { api: await connect({ ...transport, project: opts.project }), label: null };
  }
  const [{ loadConfig, resolveTarget, describeTarget }, { connectTarget }] = await Promise.all([
    import('./config/index.js'),
    import('./remote/connect.js'), // not remote/index.js: that brings the X.509 library, for `remote add`
  ]);
  const config = loadConfig();
  for (const warning of config.warnings) note(`warning: ${warning}`);
  const resolved = resolveTarget(config, { ...target, project: opts.project ?? target.project });
  if (resolved.note) note(`note: ${resolved.note}`);
  Object.assign(failure, targetContext(resolved));
  const api = await connectTarget(resolved, transport);
  if (resolved.kind === 'ssh') return sshConnected(resolved, api, note);
  return { api, label: resolved.kind === 'https' || target.remote ? describeTarget(resolved) : null };
}

export function isOneOffSsh(remote: string | undefined): boolean {
  return remote !== undefined && /^ssh:\/\//i.test(remote);
}

/** Through ssh: says which socket of the far side was found (when the address named none); the label. */
function sshConnected(target: SshTarget, api: LxdClient, note: (text: string) => void): { api: LxdClient; label: string } {
  const tunnel = api.transport.describe();
  if (!/^ssh:\/\/[^/]*\//.test(target.url)) note(`note: ${target.url}: the daemon's socket there is ${tunnel.replace(/^ssh:\/\/[^/]*/, '')}`);
  return { api, label: target.remote === target.url ? tunnel : `${target.remote} (${tunnel})` };
}

export async function exitOnMissingProject(api: LxdApi, missing: string | null): Promise<void> {
  if (missing === null) return;
  process.stderr.write(`lxtop: ${missing}\nhint: --project NAME with one of those (or --all-projects)\n`);
  await api.close().catch(() => undefined);
  process.exit(1);
}

/**
 * The client to use when the certificate may not use the client's project (only HTTPS remotes have
 * certificates to restrict): one of the project it may use, with the note saying why. Null when
 * the project is fine (or missing: the caller says so); throws when there is nothing to open.
 */
export async function restrictedScope(api: LxdClient, how: { canChoose: boolean; explicit: boolean }, access?: ProjectAccess) {
  if (!failure.cert) return null;
  const found = access ?? (await projectAccess(api));
  if (found.kind !== 'restricted') return null;
  const { LxdClient: Client } = await import('./lxd/client.js');
  const { allowedScope } = await import('./app/restricted.js');
  const certificate = `${failure.certFile ?? 'client.crt'} (fingerprint ${pemFingerprint(failure.cert)})`;
  return allowedScope(found, { ...how, remote: failure.remote, certificate }, (project) => new Client(api.transport, { project }));
}
