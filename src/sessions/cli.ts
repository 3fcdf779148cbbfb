// The command line of sessions: `lxtop exec -d` (start one, print its id), `lxtop sessions` (list,
// `--format json`; `history ID`; `close ID`), `lxtop attach ID`. Everything goes through the holder;
// only `exec -d` starts one.
import { describeDetachSequence } from '../console/detach.js';
import { attachSession } from './attach.js';
import { HolderClient, HolderError } from './client.js';
import { historyLines } from './history.js';
import { isRunning, stateText, type SessionInfo, type StartRequest } from './types.js';

export const SESSIONS_USAGE = `Usage: lxtop sessions [--format json]     the sessions the holder keeps, one a line
       lxtop sessions history ID            a session's output so far, as plain text
       lxtop sessions close ID              end a session (its command gets SIGHUP, then SIGKILL)
       lxtop attach ID [--detach SEQ]       attach to a session in this terminal
       lxtop exec -d [REMOTE:]NAME [-- cmd] start a session in the background, print its id`;

const NO_HOLDER = 'no sessions: the session holder is not running (lxtop exec -d NAME starts one)';

function fail(message: string): number {
  process.stderr.write(`lxtop: ${message}\n`);
  return 1;
}

/** `exec -d`: the holder starts the command; prints the session's id. */
export async function startDetached(req: Omit<StartRequest, 'cols' | 'rows' | 'term'>): Promise<number> {
  try {
    const client = (await HolderClient.connect({ start: true }))!;
    const term = process.env.TERM && process.env.TERM !== 'dumb' ? process.env.TERM : 'xterm-256color';
    const reply = await client.request({ op: 'start', ...req, cols: process.stdout.columns || 80, rows: process.stdout.rows || 24, term });
    client.close();
    process.stdout.write(`${String(reply.id)}\n`);
    return 0;
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
}

function ago(ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  return `${Math.floor(s / 3600)}h`;
}

/** Plain text, one line a session, columns padded; the state last but one: it may hold a reason. */
export function sessionTable(list: SessionInfo[], now: number): string {
  const rows = [['ID', 'NAME', 'INSTANCE', 'REMOTE', 'PROJECT', 'STARTED', 'OUTPUT', 'STATE', 'COMMAND']];
  for (const s of list) {
    rows.push([s.id, s.name || '-', s.instance, s.remote || 'local', s.project, ago(s.started, now), s.lastOutput ? ago(s.lastOutput, now) : '-', stateText(s), s.command]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}

export async function sessionsMain(args: string[]): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(`${SESSIONS_USAGE}\n`);
    return 0;
  }
  const [sub, id] = args;
  if (sub === 'history' || sub === 'close') {
    if (!id || args.length > 2) return usage(`${sub} wants one session id`);
    const client = await HolderClient.connect({ start: false });
    if (!client) return fail(NO_HOLDER);
    try {
      if (sub === 'close') {
        const reply = await client.request({ op: 'close', id });
        process.stdout.write(reply.op === 'closing' ? `session ${id}: closing (SIGHUP sent)\n` : `session ${id}: removed\n`);
        return 0;
      }
      return await printHistory(client, id);
    } catch (err) {
      return fail(err instanceof Error ? err.message : String(err));
    } finally {
      client.close();
    }
  }
  let json = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--format' && args[i + 1] === 'json') {
      i++;
      json = true;
    } else if (args[i] === '--format=json') json = true;
    else return usage(`unknown argument "${args[i]}"`);
  }
  const client = await HolderClient.connect({ start: false });
  const list = client ? ((await client.request({ op: 'list' }).finally(() => client.close())).sessions as SessionInfo[]) : [];
  if (json) process.stdout.write(`${JSON.stringify(list)}\n`);
  else if (!client) process.stderr.write(`lxtop: ${NO_HOLDER}\n`);
  else process.stdout.write(`${sessionTable(list, Date.now())}\n`);
  return 0;
}

function usage(message: string): number {
  process.stderr.write(`lxtop sessions: ${message}\n\n${SESSIONS_USAGE}\n`);
  return 2;
}

async function printHistory(client: HolderClient, id: string): Promise<number> {
  const { raw, cols } = await client.history(id);
  const lines = await historyLines(raw, cols);
  process.stdout.write(lines.length ? `${lines.join('\n')}\n` : '');
  return 0;
}

/** `lxtop attach ID`: the terminal is the session's until it detaches or the session ends. */
export async function attachMain(args: string[], detachDefault?: string): Promise<number> {
  let detach = detachDefault;
  const ids: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--detach' && i + 1 < args.length) detach = args[++i];
    else if (args[i].startsWith('--detach=')) detach = args[i].slice(9);
    else if (args[i] === '-h' || args[i] === '--help') {
      process.stdout.write(`${SESSIONS_USAGE}\n`);
      return 0;
    } else ids.push(args[i]);
  }
  if (ids.length !== 1) return usage('attach wants one session id');
  const client = await HolderClient.connect({ start: false }).catch((err: unknown) => {
    if (err instanceof HolderError) return null;
    throw err;
  });
  if (!client) return fail(NO_HOLDER);
  // Said before anything else: an unknown or ended session, then a missing terminal.
  const sessions = (await client.request({ op: 'list' })).sessions as SessionInfo[];
  const found = sessions.find((s) => s.id === ids[0] || (s.name !== '' && s.name === ids[0]));
  const problem = !found
    ? `no session ${ids[0]} (lxtop sessions lists them)`
    : !isRunning(found)
      ? `session ${found.id} has ended: ${stateText(found)}`
      : !process.stdin.isTTY || !process.stdout.isTTY
        ? 'attach needs a terminal'
        : null;
  if (problem) {
    client.close();
    return fail(problem);
  }
  return attachAndReport(client, ids[0], detach);
}

/** Attaches in this terminal, then says how it ended; the exit status. */
async function attachAndReport(client: HolderClient, id: string, detach: string | undefined): Promise<number> {
  const result = await attachSession(client, id, { stdin: process.stdin, stdout: process.stdout }, detach);
  client.close();
  if (result.reason === 'refused') return fail(result.message);
  const how = describeDetachSequence(detach);
  if (result.reason === 'detached') {
    process.stderr.write(`\r\nlxtop: ${result.message} from session ${id}; it goes on (lxtop attach ${id} to return${how ? `, ${how} to detach` : ''})\r\n`);
    return 0;
  }
  process.stderr.write(`\r\nlxtop: ${result.message}\r\n`);
  return result.reason === 'exited' ? (result.exitCode ?? 0) : 255;
}

export const CONSOLE_USAGE = `Usage: lxtop [options] console [REMOTE:]NAME [--project NAME] [--detach SEQ]

Attaches to the instance's console (/dev/console of a container, the serial console of a VM: the
way into a VM without its agent), its log shown first, as a background session: Enter ~. detaches
and leaves it attached in the session holder (lxtop sessions, lxtop attach ID).`;

/** \`lxtop console [REMOTE:]NAME\`: a console session started in the holder, attached here. */
export async function consoleMain(args: string[], target: { socket?: string; remote?: string; project?: string }, detachDefault?: string): Promise<number> {
  let detach = detachDefault;
  let project = target.project;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '--help') {
      process.stdout.write(`${CONSOLE_USAGE}\n`);
      return 0;
    }
    if (a === '--detach' && i + 1 < args.length) detach = args[++i];
    else if (a.startsWith('--detach=')) detach = a.slice(9);
    else if (a === '--project' && i + 1 < args.length) project = args[++i];
    else if (a.startsWith('-')) return consoleUsage(`unknown option ${a}`);
    else names.push(a);
  }
  if (names.length !== 1) return consoleUsage('which instance? lxtop console [REMOTE:]NAME');
  const colon = names[0].indexOf(':');
  const remote = colon === -1 ? target.remote : names[0].slice(0, colon);
  const instance = colon === -1 ? names[0] : names[0].slice(colon + 1);
  if (!/^[A-Za-z][A-Za-z0-9-]{0,62}$/.test(instance)) return consoleUsage(`invalid instance name "${instance}"`);
  if (!process.stdin.isTTY || !process.stdout.isTTY) return fail('console needs a terminal');
  try {
    const client = (await HolderClient.connect({ start: true }))!;
    const term = process.env.TERM && process.env.TERM !== 'dumb' ? process.env.TERM : 'xterm-256color';
    const reply = await client.request({
      op: 'start',
      kind: 'console',
      target: { socket: target.socket, remote, project },
      instance,
      cols: process.stdout.columns || 80,
      rows: process.stdout.rows || 24,
      term,
    }).catch((err: unknown) => {
      client.close();
      throw err;
    });
    return await attachAndReport(client, String(reply.id), detach);
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
}

function consoleUsage(message: string): number {
  process.stderr.write(`lxtop console: ${message}\n\n${CONSOLE_USAGE}\n`);
  return 2;
}
