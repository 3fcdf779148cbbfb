// `lxtop file pull [REMOTE:]NAME/PATH LOCAL` and `lxtop file push LOCAL [REMOTE:]NAME/PATH`, as
// `lxc file pull/push` do for one file: streamed both ways (src/lxd/files.ts), never held whole.
import { basename } from 'node:path';
import { splitRemote, UsageError } from '../console/args.js';
import type { LxdApi } from '../lxd/api.js';
import type { InstanceFiles } from '../lxd/files.js';
import { localFile, pullToFile, pushFromFile } from './file-transfer.js';
import { parseOrUsage, untilStopped, type Connector } from './subcommand.js';

export const FILE_USAGE = `Usage: lxtop file pull [remote:]NAME/PATH LOCAL
       lxtop file push LOCAL [remote:]NAME/PATH

Copies one file out of an instance (pull; LOCAL may be a directory, or - for stdout) or into it
(push; a PATH ending in / is a directory: the file keeps its name), streamed, as lxc file does.
A pushed file gets the local file's mode unless --mode says otherwise, and uid and gid 0 unless
--uid / --gid say.

Options:
      --project NAME   project of the instance
      --mode MODE      (push) the file's mode, octal (0644)
      --uid N          (push) its owner
      --gid N          (push) its group
  -q, --quiet          (pull, push) no summary line on stderr
  -h, --help           this help`;

export interface FileArgs {
  action: 'pull' | 'push';
  remote?: string;
  instance: string;
  /** In the instance, absolute. */
  path: string;
  local: string;
  project?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  quiet: boolean;
  help: boolean;
}

/** `[remote:]NAME/PATH` → its parts; the path made absolute. */
export function parseInstancePath(word: string): { remote?: string; instance: string; path: string } {
  const { remote, name: rest } = splitRemote(word);
  if (remote === '') throw new UsageError(`bad path "${word}": empty remote before ":"`);
  const slash = rest.indexOf('/');
  if (slash <= 0) throw new UsageError(`"${word}" is not NAME/PATH (the instance, then the path in it)`);
  const path = rest.slice(slash);
  return { ...(remote ? { remote } : {}), instance: rest.slice(0, slash), path };
}

function int(flag: string, text: string | undefined, radix = 10): number {
  const n = text !== undefined && (radix === 8 ? /^[0-7]{1,4}$/ : /^\d+$/).test(text) ? parseInt(text, radix) : NaN;
  if (!Number.isFinite(n)) throw new UsageError(`${flag} wants ${radix === 8 ? 'an octal mode like 0644' : 'a number'}, got "${text ?? ''}"`);
  return n;
}

export function parseFileArgs(words: readonly string[]): FileArgs {
  const rest: string[] = [];
  const out: Partial<FileArgs> & { quiet: boolean; help: boolean } = { quiet: false, help: false };
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const [flag, inline] = w.startsWith('--') && w.includes('=') ? [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] : [w, undefined];
    const value = () => inline ?? words[++i];
    if (w === '-h' || w === '--help') out.help = true;
    else if (w === '-q' || w === '--quiet') out.quiet = true;
    else if (flag === '--project') {
      out.project = value();
      if (!out.project) throw new UsageError('--project needs a value');
    } else if (flag === '--mode') out.mode = int('--mode', value(), 8);
    else if (flag === '--uid') out.uid = int('--uid', value());
    else if (flag === '--gid') out.gid = int('--gid', value());
    else if (w.startsWith('-') && w !== '-') throw new UsageError(`unknown option ${w}`);
    else rest.push(w);
  }
  if (out.help) return { action: 'pull', instance: '', path: '', local: '', ...out };
  const [action, a, b, extra] = rest;
  if (action !== 'pull' && action !== 'push') throw new UsageError(action ? `unknown file command "${action}": pull or push` : 'pull or push?');
  if (a === undefined || b === undefined) throw new UsageError(action === 'pull' ? 'lxtop file pull [remote:]NAME/PATH LOCAL' : 'lxtop file push LOCAL [remote:]NAME/PATH');
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  const remoteWord = action === 'pull' ? a : b;
  const local = action === 'pull' ? b : a;
  return { ...out, action, ...parseInstancePath(remoteWord), local };
}

export async function fileMain(words: readonly string[], connect: Connector, readOnly = false): Promise<number> {
  const args = parseOrUsage(words, parseFileArgs, FILE_USAGE);
  if (typeof args === 'number') return args;
  if (args.action === 'push' && readOnly) {
    process.stderr.write('lxtop: --read-only: file push changes the instance and is refused\n');
    return 1;
  }
  const local = args.action === 'push' ? localFile(args.local) : null;
  if (local && 'error' in local) {
    process.stderr.write(`lxtop: ${local.error}\n`);
    return 1;
  }
  const api = await connect(args.remote, { long: true });
  return untilStopped(api, async (signal) => {
    const files = filesOf(api, args.instance, args.project);
    const started = Date.now();
    const done = (verb: string, bytes: number) => {
      if (args.quiet) return;
      const s = Math.max(0.001, (Date.now() - started) / 1000);
      process.stderr.write(`lxtop: ${verb} (${bytes} bytes, ${(bytes / s / 1e6).toFixed(1)} MB/s)\n`);
    };
    if (args.action === 'push') {
      const path = args.path.endsWith('/') ? args.path + basename(args.local) : args.path;
      await pushFromFile(files, args.local, path, { mode: args.mode ?? local!.mode, uid: args.uid, gid: args.gid, signal });
      done(`pushed ${args.local} to ${args.instance}:${path}`, local!.size);
      return 0;
    }
    return pullTo(files, args, signal, done);
  });
}

export function filesOf(api: LxdApi, instance: string, project?: string): InstanceFiles {
  if (!api.instanceFiles) throw new Error('this connection cannot reach instance files');
  return api.instanceFiles(instance, project ? { project } : undefined);
}

async function pullTo(files: InstanceFiles, args: FileArgs, signal: AbortSignal, done: (verb: string, bytes: number) => void): Promise<number> {
  if (args.local === '-') {
    const got = await files.pull(args.path, process.stdout, { signal });
    done(`pulled ${args.instance}:${args.path}`, got.bytes);
    return 0;
  }
  const { target, bytes } = await pullToFile(files, args.path, args.local, signal);
  done(`pulled ${args.instance}:${args.path} to ${target}`, bytes);
  return 0;
}
