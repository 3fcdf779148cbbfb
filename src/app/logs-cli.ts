// `lxtop logs [REMOTE:]NAME [--console] [-f]`: an instance's log (lxc.log for a container,
// qemu.log for a VM: what `lxc info NAME --show-log` shows under its header) or its console log
// (`lxc console NAME --show-log`), printed as is; `-f` keeps printing what is added. A log file is
// followed by byte ranges (only the new part is read); the console log comes whole each time.
import type { LxdApi } from '../lxd/api.js';
import { mainLogFile, type LogText } from '../lxd/logs.js';
import { splitRemote, UsageError } from '../console/args.js';
import { parseOrUsage, untilStopped, type Connector } from './subcommand.js';

export const LOGS_USAGE = `Usage: lxtop logs [remote:]NAME [options]

Prints an instance's log: lxc.log for a container, qemu.log for a VM (as lxc info --show-log).

Options:
      --console        the console log instead (as lxc console --show-log)
      --file NAME      another log file of the instance (lxc.conf, ...)
  -f, --follow         keep printing what is added, until Ctrl-C
      --project NAME   project of the instance
  -h, --help           this help`;

export interface LogsArgs {
  remote?: string;
  instance: string;
  console: boolean;
  file?: string;
  follow: boolean;
  project?: string;
  help: boolean;
}

export function parseLogsArgs(args: readonly string[]): LogsArgs {
  const out: LogsArgs = { instance: '', console: false, follow: false, help: false };
  let target: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (flag: string) => {
      const v = args[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (a === '--console') out.console = true;
    else if (a === '-f' || a === '--follow') out.follow = true;
    else if (a === '-h' || a === '--help') out.help = true;
    else if (a === '--file') out.file = value(a);
    else if (a.startsWith('--file=')) out.file = a.slice('--file='.length);
    else if (a === '--project') out.project = value(a);
    else if (a.startsWith('--project=')) out.project = a.slice('--project='.length);
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (target === undefined) target = a;
    else throw new UsageError(`unexpected argument "${a}"`);
  }
  if (out.help) return out;
  if (target === undefined) throw new UsageError('which instance? lxtop logs [remote:]NAME');
  if (out.console && out.file !== undefined) throw new UsageError('--console and --file exclude each other');
  const { remote, name } = splitRemote(target);
  if (remote !== undefined) {
    if (remote === '') throw new UsageError(`bad instance "${target}": empty remote before ":"`);
    out.remote = remote;
  }
  if (name === '') throw new UsageError('which instance? lxtop logs [remote:]NAME');
  out.instance = name;
  return out;
}

/** Reads one log: from byte `from` on for a file, whole for the console. */
export type LogReader = (from: number) => Promise<LogText>;

/** The reader for what `args` names, and its label for messages. */
export async function logReader(api: LxdApi, args: Pick<LogsArgs, 'instance' | 'console' | 'file' | 'project'>): Promise<{ read: LogReader; label: string }> {
  const scope = args.project === undefined ? {} : { project: args.project };
  if (args.console) {
    if (!api.consoleLog) throw new Error('this connection cannot read console logs');
    const consoleLog = api.consoleLog.bind(api);
    return { read: () => consoleLog(args.instance, scope), label: `the console log of ${args.instance}` };
  }
  if (!api.instanceLog) throw new Error('this connection cannot read instance logs');
  const file = args.file ?? mainLogFile((await api.getInstance(args.instance, scope)).instance.type);
  const instanceLog = api.instanceLog.bind(api);
  return { read: (from) => instanceLog(args.instance, file, { ...scope, from }), label: `${file} of ${args.instance}` };
}

/** How much of what was read last is read again, to tell an appended file from a replaced one. */
const OVERLAP = 64;

/** The last bytes of `text` (up to OVERLAP), not starting inside a UTF-8 sequence. */
export function overlapOf(text: Buffer): Buffer {
  let start = Math.max(0, text.length - OVERLAP);
  while (start < text.length && (text[start] & 0xc0) === 0x80) start++;
  return text.subarray(start);
}

/** Where a follower stands: bytes seen, and the last of them. */
export interface FollowPoint {
  size: number;
  tail: Buffer;
}

/**
 * What is new in a log since `at`. A log file is read from a little before `at` and the overlap
 * compared: a file replaced by one as long or longer (the instance started again) differs there,
 * and is printed again from its start, as is one that shrank. The console log comes whole.
 */
export async function readNew(read: LogReader, at: FollowPoint, wholeEachTime: boolean): Promise<{ text: string; at: FollowPoint; reset: boolean }> {
  const from = wholeEachTime ? 0 : at.size - at.tail.length;
  const got = await read(from);
  const bytes = Buffer.from(got.text);
  const whole = got.from === 0 ? bytes : null;
  const same = got.from === from && got.size >= at.size && (wholeEachTime
    ? bytes.subarray(at.size - at.tail.length, at.size).equals(at.tail)
    : bytes.subarray(0, at.tail.length).equals(at.tail));
  if (!same) {
    const all = whole ?? Buffer.from((await read(0)).text);
    return { text: all.toString(), at: { size: all.length, tail: overlapOf(all) }, reset: true };
  }
  const fresh = bytes.subarray(wholeEachTime ? at.size : at.tail.length);
  return { text: fresh.toString(), at: fresh.length === 0 ? at : { size: got.size, tail: overlapOf(Buffer.concat([at.tail, fresh])) }, reset: false };
}

/** Reads in a row that may fail while following before lxtop gives up. */
const FOLLOW_ATTEMPTS = 5;

export interface LogsRun {
  write(text: string): void;
  /** Follow mode ends when this aborts (Ctrl-C). */
  signal?: AbortSignal;
  pollMs?: number;
}

/** Prints the log (and follows it with -f); returns the exit status. Errors reject, for the caller to print. */
export async function runLogs(api: LxdApi, args: LogsArgs, run: LogsRun): Promise<number> {
  const { read, label } = await logReader(api, args).catch((err: unknown) => {
    throw new Error(`${args.instance}: ${err instanceof Error ? err.message : String(err)}`);
  });
  const first = await read(0).catch((err: unknown) => {
    throw new Error(`cannot read ${label}: ${err instanceof Error ? err.message : String(err)}`);
  });
  run.write(first.text);
  if (!args.follow) return 0;
  const firstBytes = Buffer.from(first.text);
  let at: FollowPoint = { size: firstBytes.length, tail: overlapOf(firstBytes) };
  let failures = 0;
  const pollMs = run.pollMs ?? 1000;
  while (!run.signal?.aborted) {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, pollMs);
      run.signal?.addEventListener('abort', () => {
        clearTimeout(t);
        resolve();
      }, { once: true });
    });
    if (run.signal?.aborted) break;
    // A read can fail while the instance restarts (the daemon rewrites the log): try again, and
    // give up only when it keeps failing (the instance is gone, the daemon is down).
    try {
      const next = await readNew(read, at, args.console);
      if (next.text !== '') run.write(next.text);
      at = next.at;
      failures = 0;
    } catch (err) {
      if (++failures >= FOLLOW_ATTEMPTS) throw new Error(`cannot read ${label}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  return 0;
}

/** `lxtop logs …` from its words: usage errors exit 2, a refused or missing log 1 (`lxtop: <message>`). */
export async function logsMain(words: readonly string[], connect: Connector): Promise<number> {
  const args = parseOrUsage(words, parseLogsArgs, LOGS_USAGE);
  if (typeof args === 'number') return args;
  const api = await connect(args.remote, { long: args.follow });
  return untilStopped(api, (signal) => runLogs(api, args, { write: (t) => process.stdout.write(t), signal }));
}
