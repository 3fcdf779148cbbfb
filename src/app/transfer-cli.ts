// `lxtop copy|move|publish|export|import`: the long transfers, with the daemon's progress (or
// lxtop's own byte count for a download) on stderr: a bar redrawn in place on a terminal, a line a
// second otherwise (what bench/export.mjs reads). Ctrl-C (or SIGTERM) cancels the daemon's operation
// where it allows that, or stops an export's download or an import's upload; a second one leaves at once.
import { splitRemote, UsageError } from '../console/args.js';
import { cancelOnInterrupt } from './interrupt.js';
import { parseOrUsage } from './subcommand.js';
import { exportBackup, importBackup } from '../lxd/backup.js';
import type { LxdClient } from '../lxd/client.js';
import { ByteMeter, operationProgress, type Progress } from '../lxd/progress.js';
import { copyInstance, copyToRemote, moveToMember, publishImage, type Source } from '../lxd/transfer.js';
import type { Operation } from '../lxd/types.js';
import { finish } from '../lxd/wait.js';
import { formatBytes, formatRate, progressText } from '../store/progress-text.js';

export const TRANSFER_USAGE = `Usage:
  lxtop copy [REMOTE:]NAME[/SNAPSHOT] [REMOTE:]NEWNAME
                  a copy on the same server, or on another remote (its daemon pulls it)
  lxtop move [REMOTE:]NAME --target MEMBER
                  a stopped instance to another cluster member
  lxtop publish [REMOTE:]NAME[/SNAPSHOT] --alias ALIAS
                  an image of a stopped instance or of a snapshot
  lxtop export [REMOTE:]NAME FILE [--instance-only]
                  a backup of the instance into a local file
  lxtop import FILE [[REMOTE:]NAME]
                  a backup file as a new instance (NAME: else the backup's own)
Ctrl-C cancels: the daemon's operation where it allows that (a copy to another remote through
its sending side), an export's backup (deleted) and download, an import's upload.`;

export type ClientConnector = (remote: string | undefined) => Promise<LxdClient>;

export interface TransferArgs {
  verb: 'copy' | 'move' | 'publish' | 'export' | 'import';
  words: string[];
  target?: string;
  alias?: string;
  instanceOnly: boolean;
  help: boolean;
}

export function parseTransferArgs(verb: TransferArgs['verb'], words: readonly string[]): TransferArgs {
  const out: TransferArgs = { verb, words: [], instanceOnly: false, help: false };
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const value = (flag: string): string => {
      const v = w.includes('=') ? w.slice(w.indexOf('=') + 1) : words[++i];
      if (!v) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (w === '-h' || w === '--help') out.help = true;
    else if (w === '--target' || w.startsWith('--target=')) out.target = value('--target');
    else if (w === '--alias' || w.startsWith('--alias=')) out.alias = value('--alias');
    else if (w === '--instance-only') out.instanceOnly = true;
    else if (w.startsWith('-') && w !== '-') throw new UsageError(`unknown option ${w}`);
    else out.words.push(w);
  }
  if (out.help) return out;
  const need = { copy: [2, 2], move: [1, 1], publish: [1, 1], export: [2, 2], import: [1, 2] }[verb];
  if (out.words.length < need[0]) throw new UsageError(`lxtop ${verb}: missing arguments`);
  if (out.words.length > need[1]) throw new UsageError(`unexpected argument "${out.words[need[1]]}"`);
  if (verb === 'move' && !out.target) throw new UsageError('lxtop move: --target MEMBER is required');
  if (verb === 'publish' && !out.alias) throw new UsageError('lxtop publish: --alias ALIAS is required');
  return out;
}

/** `remote:name/snap` → the remote and the source. */
function source(word: string): { remote?: string; source: Source } {
  const { remote, name } = splitRemote(word);
  if (remote === '') throw new UsageError(`bad name "${word}": empty remote before ":"`);
  const slash = name.indexOf('/');
  const src: Source = slash === -1 ? { name } : { name: name.slice(0, slash), snapshot: name.slice(slash + 1) };
  if (src.name.length === 0 || src.snapshot?.length === 0) throw new UsageError(`bad name "${word}"`);
  return { ...(remote ? { remote } : {}), source: src };
}

/** Progress on stderr: redrawn in place on a terminal, else a line a second. */
export function progressPrinter(label: string): { show(p: Progress | null): void; done(text?: string): void } {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let shown = false;
  return {
    show(p) {
      const now = Date.now();
      if (!tty && now - last < 1000) return;
      last = now;
      shown = true;
      process.stderr.write(`${tty ? '\r\x1b[K' : ''}${label}: ${progressText(p, now, 20)}${tty ? '' : '\n'}`);
    },
    /** The last word (the bar cleared first); without one, only the bar cleared. */
    done(text) {
      process.stderr.write(`${tty && shown ? '\r\x1b[K' : ''}${text === undefined ? '' : `${text}\n`}`);
    },
  };
}

/** Aborted by the first Ctrl-C or SIGTERM of a transfer (interrupt.ts). */
const interrupt = new AbortController();

/** Waits for `op` with its progress on stderr, then `LABEL: done`; `signal` cancels it (wait.ts). */
export async function watched(client: LxdClient, op: Operation, label: string, signal: AbortSignal, cancel?: () => Promise<void>): Promise<Operation | null> {
  const out = progressPrinter(label);
  let current: Operation | null = op;
  const ticker = setInterval(() => out.show(operationProgress(current?.metadata)), 250);
  try {
    const done = await finish(client, op.id, (o) => (current = o), signal, cancel);
    out.done(`${label}: done`);
    return done;
  } catch (err) {
    out.done(); // the error is said by the caller
    throw err;
  } finally {
    clearInterval(ticker);
  }
}

export async function transferMain(verb: TransferArgs['verb'], words: readonly string[], connect: ClientConnector): Promise<number> {
  const args = parseOrUsage(words, (w) => parseTransferArgs(verb, w), TRANSFER_USAGE);
  if (typeof args === 'number') return args;
  const opened: LxdClient[] = [];
  const open = async (remote: string | undefined) => {
    const c = await connect(remote);
    opened.push(c);
    return c;
  };
  // Nothing left to wait for while the transfer has not ended (a stream that never finished) is a
  // failure, never a silent exit 0.
  const stalled = () => {
    process.stderr.write(`lxtop: ${verb} stopped before its end\n`);
    process.exitCode = 1;
  };
  process.once('beforeExit', stalled);
  const release = cancelOnInterrupt(interrupt);
  try {
    return await run(args, open);
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    if (!interrupt.signal.aborted) {
      process.stderr.write(`lxtop: ${text}\n`);
      return 1;
    }
    // Cancelled: the daemon's own words when it could not be (the operation goes on).
    process.stderr.write(`lxtop: ${verb} cancelled${/goes on/.test(text) ? `, but ${text}` : ''}\n`);
    return 130;
  } finally {
    release();
    process.off('beforeExit', stalled);
    await Promise.all(opened.map((c) => c.close().catch(() => undefined)));
  }
}

async function run(args: TransferArgs, open: ClientConnector): Promise<number> {
  const [first, second] = args.words;
  if (args.verb === 'copy') {
    const from = source(first);
    const to = splitRemote(second);
    if (to.name.length === 0 || to.remote?.length === 0) throw new UsageError(`bad name "${second}"`);
    const fromClient = await open(from.remote);
    if (to.remote === undefined || to.remote === from.remote) {
      await watched(fromClient, await copyInstance(fromClient, from.source, to.name), `copy ${first} → ${to.name}`, interrupt.signal);
    } else {
      const toClient = await open(to.remote);
      const started = await copyToRemote(fromClient, from.source, toClient, to.name);
      // The target's side cannot be cancelled; the source's can, and the target's then fails.
      await watched(toClient, started.target, `copy ${first} → ${second}`, interrupt.signal, () => fromClient.cancelOperation(started.source.id));
    }
    return 0;
  }
  if (args.verb === 'move' || args.verb === 'publish') {
    const from = source(first);
    const client = await open(from.remote);
    if (args.verb === 'move') {
      if (from.source.snapshot) throw new UsageError('a snapshot cannot be moved');
      await watched(client, await moveToMember(client, from.source.name, args.target!), `move ${first} → ${args.target}`, interrupt.signal);
    } else {
      const op = await watched(client, await publishImage(client, from.source, args.alias!), `publish ${first}`, interrupt.signal);
      const fp = op?.metadata?.fingerprint;
      process.stdout.write(`${args.alias}${typeof fp === 'string' ? ` ${fp}` : ''}\n`);
    }
    return 0;
  }
  if (args.verb === 'export') {
    const from = source(first);
    if (from.source.snapshot) throw new UsageError('export takes an instance, not a snapshot');
    const client = await open(from.remote);
    const out = progressPrinter(`export ${first}`);
    const meter = new ByteMeter('download');
    const started = Date.now();
    const bytes = await exportBackup(client, from.source.name, second, {
      instanceOnly: args.instanceOnly,
      signal: interrupt.signal,
      onOperation: (op) => out.show(operationProgress(op.metadata)),
      onBytes: (b, total) => {
        meter.update(b, total);
        out.show(meter.progress());
      },
    });
    const seconds = (Date.now() - started) / 1000;
    out.done(`export ${first}: ${formatBytes(bytes)} in ${seconds.toFixed(1)} s (${formatRate(bytes / Math.max(seconds, 0.001))}) → ${second}`);
    return 0;
  }
  const to: { remote?: string; name?: string } = second === undefined ? {} : splitRemote(second);
  if (to.remote === '') throw new UsageError(`bad name "${second}"`);
  const client = await open(to.remote);
  const out = progressPrinter(`import ${first}`);
  const meter = new ByteMeter('upload');
  const op = await importBackup(client, first, {
    ...(to.name ? { name: to.name } : {}),
    signal: interrupt.signal,
    onBytes: (b, total) => {
      meter.update(b, total);
      out.show(meter.progress());
    },
  });
  out.done(`import ${first}: uploaded`);
  await watched(client, op, `import ${first}`, interrupt.signal);
  return 0;
}
