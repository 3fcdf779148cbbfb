// `lxtop remote add NAME ssh://[user@]host[:port][/path]`: connect once through ssh (the daemon's
// socket forwarded, src/ssh), check the daemon answers and the project exists, then record the
// remote. Nothing to trust or pin: ssh's known_hosts vouches for the host, the socket for the daemon.
import { findRemote, loadConfig, lxtopSource, withRemote, writeAllOrNothing } from '../config/index.js';
import { sshTarget } from '../config/resolve.js';
import { AddError } from './add.js';
import type { AddArgs } from './args.js';
import { connectTarget } from './connect.js';
import type { RemoteIo } from './io.js';

export async function addSshRemote(a: AddArgs, io: RemoteIo): Promise<void> {
  const src = lxtopSource(io.env);
  const existing = findRemote(loadConfig({ env: io.env }), a.name);
  if (existing?.source === 'lxtop') {
    throw new AddError(`remote "${a.name}" already exists in ${existing.file} (lxtop remote remove ${a.name} first)`);
  }
  withRemote(src.file, a.name, { addr: a.url, protocol: 'lxd' }); // throws when the file does not parse
  const api = await connectTarget(sshTarget(a.url, a.name, { project: a.project }));
  try {
    const server = await api.server();
    if (a.project !== undefined) {
      const projects = await api.listProjects();
      if (!(projects ?? []).some((p) => p.name === a.project)) throw new AddError(`project "${a.project}" not found on ${a.url}`);
    }
    writeAllOrNothing([{ path: src.file, content: withRemote(src.file, a.name, { addr: a.url, protocol: server.kind, project: a.project }), mode: 0o644 }]);
    const daemon = `${server.kind === 'incus' ? 'Incus' : 'LXD'} ${server.version}`;
    io.out(`Remote ${a.name} added: ${a.url} (${daemon} at ${api.transport.describe()}, project ${a.project ?? 'default'})\n`);
    if (existing) io.out(`Note: it shadows remote "${a.name}" of ${existing.file}.\n`);
    io.out(`Use it with: lxtop ${a.name}:  (or make it the default: lxtop remote switch ${a.name})\n`);
  } finally {
    await api.close().catch(() => undefined);
  }
}
