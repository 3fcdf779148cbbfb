// Starting a session in the holder: the daemon reached the way the command line reaches it
// (cli-connect.ts openTarget: --socket, configured remotes, https, ssh://), one connection per
// target kept while sessions use it, then the command started (RemotePty) and registered.
import { openTarget } from '../cli-connect.js';
import type { LxdClient } from '../lxd/client.js';
import { prepare, type ConsoleResult } from '../console/prepare.js';
import type { Holder } from './holder.js';
import { RemotePty } from './remote-pty.js';
import { HeldSession } from './session.js';
import type { SessionTarget, StartRequest } from './types.js';

const clients = new Map<string, Promise<LxdClient>>();

function targetKey(t: SessionTarget): string {
  return JSON.stringify([t.socket ?? '', t.remote ?? '', t.project ?? '']);
}

function clientFor(t: SessionTarget): Promise<LxdClient> {
  const key = targetKey(t);
  let client = clients.get(key);
  if (!client) {
    client = openTarget({ socket: t.socket, project: t.project }, { remote: t.remote, project: t.project }, {}, () => {}).then((c) => c.api);
    clients.set(key, client);
    client.catch(() => clients.delete(key));
  }
  return client;
}

export class StartError extends Error {
  override name = 'StartError';
}

/** Starts the command; resolves with the new session's id, or throws why it did not start. */
export async function startSession(holder: Holder, req: StartRequest): Promise<string> {
  if (typeof req.instance !== 'string' || req.instance === '') throw new StartError('which instance?');
  const target = req.target ?? {};
  const api = await clientFor(target);
  const isConsole = req.kind === 'console';
  const prepared = isConsole ? null : await prepare(api, { ...req, project: target.project }, req.term || 'xterm-256color');
  if (prepared?.refusal) throw new StartError(prepared.refusal.message);
  const cols = req.cols > 0 ? req.cols : 80;
  const rows = req.rows > 0 ? req.rows : 24;
  const id = holder.sessions.nextId();
  const session = new HeldSession(
    {
      id,
      name: '',
      instance: req.instance,
      remote: target.remote ?? '',
      project: target.project ?? api.project ?? 'default',
      command: isConsole ? 'console' : req.command?.length ? req.command.join(' ') : 'shell',
      kind: isConsole ? 'console' : 'exec',
      started: Date.now(),
    },
    { cols, rows },
    (_s, urgent) => holder.changed(urgent),
  );
  // The redraw on attach starts with a clear: a banner the caller printed would go, so the screen has it.
  if (typeof req.banner === 'string' && req.banner !== '') session.preface(Buffer.from(`${req.banner}\r\n`, 'utf8'));
  const events = { output: (bytes: Buffer) => session.output(bytes), end: (result: ConsoleResult) => session.ended(result) };
  let pty: RemotePty | ConsoleResult;
  if (isConsole) {
    // What the console said before we came: its log (empty, or refused by some servers: then none).
    const log = await api.consoleLog?.(req.instance, { project: target.project }).catch(() => null);
    if (log?.text) session.output(Buffer.from(log.text.replace(/\r?\n/g, '\r\n'), 'utf8'));
    pty = await RemotePty.startConsole(api, req.instance, target.project, { cols, rows }, events);
  } else {
    pty = await RemotePty.start(api, req.instance, prepared!, { cols, rows }, events);
  }
  if (!(pty instanceof RemotePty)) {
    session.dispose();
    throw new StartError(pty.message);
  }
  session.bind(pty);
  holder.sessions.add(id, session);
  holder.changed(true);
  return id;
}
