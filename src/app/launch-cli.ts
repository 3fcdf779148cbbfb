// `lxtop launch [REMOTE:]IMAGE [REMOTE:]NAME`: as `lxc launch`, the image may be on another
// configured LXD/Incus remote (the target pulls it over HTTPS; a private image with a secret).
import { readFileSync } from 'node:fs';
import { splitRemote, UsageError } from '../console/args.js';
import type { LxdClient } from '../lxd/client.js';
import { imageRef, remoteImageSource, userDataKey } from '../lxd/launch.js';
import { checkInstanceName } from '../lxd/names.js';
import { cancelOnInterrupt } from './interrupt.js';
import { parseOrUsage } from './subcommand.js';
import { watched, type ClientConnector } from './transfer-cli.js';

/** Aborted by the first Ctrl-C or SIGTERM (interrupt.ts). */
const interrupt = new AbortController();

export const LAUNCH_USAGE = `Usage:
  lxtop launch [REMOTE:]IMAGE [REMOTE:]NAME [--vm] [-c KEY=VALUE]... [-p PROFILE]...
               [--user-data FILE] [--target MEMBER] [--no-start]
                  a new instance from an image on the same server or on another LXD/Incus remote
                  (the target server downloads it; a private image through a one-time secret)
Ctrl-C stops waiting and withdraws the secret; the daemon's create itself cannot be cancelled.`;

export interface LaunchArgs {
  image: string;
  name: string;
  vm: boolean;
  config: Record<string, string>;
  profiles: string[];
  userData?: string;
  target?: string;
  start: boolean;
  help: boolean;
}

export function parseLaunchArgs(words: readonly string[]): LaunchArgs {
  const out: LaunchArgs = { image: '', name: '', vm: false, config: {}, profiles: [], start: true, help: false };
  const rest: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const long = w.startsWith('--') && w.includes('=');
    const value = (flag: string): string => {
      const v = long ? w.slice(w.indexOf('=') + 1) : words[++i];
      if (!v) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const flag = long ? w.slice(0, w.indexOf('=')) : w;
    if (flag === '-h' || flag === '--help') out.help = true;
    else if (flag === '--vm') out.vm = true;
    else if (flag === '--no-start') out.start = false;
    else if (flag === '-c' || flag === '--config') {
      const kv = value('-c');
      const eq = kv.indexOf('=');
      if (eq <= 0) throw new UsageError(`bad config "${kv}": expected KEY=VALUE`);
      out.config[kv.slice(0, eq)] = kv.slice(eq + 1);
    } else if (flag === '-p' || flag === '--profile') out.profiles.push(value('-p'));
    else if (flag === '--user-data') out.userData = value('--user-data');
    else if (flag === '--target') out.target = value('--target');
    else if (w.startsWith('-') && w !== '-') throw new UsageError(`unknown option ${w}`);
    else rest.push(w);
  }
  if (out.help) return out;
  if (rest.length < 2) throw new UsageError('lxtop launch: IMAGE and NAME are required');
  if (rest.length > 2) throw new UsageError(`unexpected argument "${rest[2]}"`);
  [out.image, out.name] = rest;
  return out;
}

export async function launchMain(words: readonly string[], connect: ClientConnector): Promise<number> {
  const args = parseOrUsage(words, parseLaunchArgs, LAUNCH_USAGE);
  if (typeof args === 'number') return args;
  const opened: LxdClient[] = [];
  const release = cancelOnInterrupt(interrupt);
  try {
    return await run(args, async (remote) => {
      const c = await connect(remote);
      opened.push(c);
      return c;
    });
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    if (!interrupt.signal.aborted) {
      process.stderr.write(`lxtop: ${text}\n`);
      return 1;
    }
    // The image's secret is withdrawn (run's finally); the daemon's create may go on.
    process.stderr.write(`lxtop: launch cancelled: ${text}\n`);
    return 130;
  } finally {
    release();
    await Promise.all(opened.map((c) => c.close().catch(() => undefined)));
  }
}

async function run(args: LaunchArgs, open: ClientConnector): Promise<number> {
  const image = splitRemote(args.image);
  const to = splitRemote(args.name);
  if (image.remote === '' || image.name.length === 0) throw new UsageError(`bad image "${args.image}"`);
  if (to.remote === '' || to.name.length === 0) throw new UsageError(`bad name "${args.name}"`);
  // The file is read before anything changes on a server: a missing one loses nothing.
  const userData = args.userData === undefined ? undefined : readFileSync(args.userData, 'utf8');
  const target = await open(to.remote);
  const info = await target.server();
  checkInstanceName(to.name, info.kind);
  const config = { ...args.config };
  if (userData !== undefined) config[userDataKey(info)] = userData;
  const source = image.remote !== undefined && image.remote !== to.remote ? await open(image.remote) : null;
  const remote = source ? await remoteImageSource(source, image.name) : null;
  // The secret is a running token on the source, valid until it is cancelled (LXD 5.0 and Incus keep
  // it after the download): it goes once the target has the image, or could not use it.
  const secretOp = remote?.secretOperation;
  try {
    const created = await target.createInstance({
      name: to.name,
      image: remote ? { remote } : imageRef(image.name),
      ...(args.vm ? { type: 'virtual-machine' as const } : {}),
      ...(args.profiles.length > 0 ? { profiles: args.profiles } : {}),
      config,
      target: args.target,
    });
    await watched(target, created, `launch ${args.name}`, interrupt.signal);
  } finally {
    if (source && secretOp) await source.cancelOperation(secretOp).catch(() => undefined);
  }
  if (args.start) {
    // A Ctrl-C while the create ended anyway: nothing new is begun.
    if (interrupt.signal.aborted) throw new Error(`${args.name} was made, and is not started`);
    await watched(target, await target.changeState(to.name, 'start'), `start ${args.name}`, interrupt.signal);
  }
  return 0;
}
