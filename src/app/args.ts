// lxtop's global command line (node's util.parseArgs): options, then optionally `exec` and the
// words the exec console parses itself. Pure; throws CliUsageError with a message for the user.
import { parseArgs } from 'node:util';
import { shownKey } from '../keys/registry.js';

export const USAGE = `Usage:
  lxtop [REMOTE:] [options]       full-screen view of instances, images and operations
  lxtop --once [options]          print the instances table once and exit (like top -b)
  lxtop REMOTE: REMOTE: ... [options]
  lxtop --fleet [options]         the fleet view: the instances of several remotes (or of
                                  every configured remote) in one table, with a REMOTE column
  lxtop [options] exec [REMOTE:]NAME [-- command ...]
                                  a shell (or a command) in an instance, like lxc exec
  lxtop [options] exec -d [REMOTE:]NAME [-- command ...]
                                  the same as a background session: prints its id
  lxtop sessions [--format json] | sessions history ID | sessions close ID
                                  the background sessions (they outlive lxtop)
  lxtop attach ID|NAME            a background session in this terminal (Enter ~. detaches)
  lxtop [options] console [REMOTE:]NAME
                                  the instance's console (/dev/console; a VM without its
                                  agent), its log first, as a background session
  lxtop ssh://[USER@]HOST[:PORT][/path/unix.socket] [options]
                                  a daemon reached over ssh (its socket forwarded; ssh's own
                                  config, agent and known_hosts; $LXTOP_SSH_CONFIG: ssh -F FILE)
  lxtop [options] logs [REMOTE:]NAME [--console] [-f]
                                  an instance's log (lxc.log, qemu.log) or its console
                                  log, like lxc info --show-log; -f follows it
  lxtop [options] events [--type lifecycle,operation,logging] [--format json]
                                  the daemon's events as they come, like lxc monitor
  lxtop [options] edit [KIND] [REMOTE:]NAME
                                  an instance's configuration (or a profile, network, pool,
                                  volume, project) in $EDITOR, saved with its ETag
  lxtop [options] file pull [REMOTE:]NAME/PATH LOCAL | file push LOCAL [REMOTE:]NAME/PATH
                                  copy a file out of an instance or into it, like lxc file
  lxtop [options] copy|move|publish|export|import ...
                                  copy an instance (to another remote too), move it to
                                  another cluster member, publish it, export or import a
                                  backup file (lxtop copy --help)
  lxtop [options] launch [REMOTE:]IMAGE [REMOTE:]NAME [--vm] [-c K=V]... [-p PROFILE]...
                                  a new instance from an image, also one on another remote
                                  (lxtop launch --help)
  lxtop remote list|add|remove|switch ...
                                  HTTPS and ssh:// remotes (shared with lxc's and incus's config)

Options:
  --socket PATH      the daemon's unix socket (default: $LXD_SOCKET, $LXD_DIR, $INCUS_SOCKET,
                     $INCUS_DIR when set, else the LXD, then the Incus package locations)
  --remote NAME      a remote from lxtop's, lxc's or incus's config (default: their default;
                     NAME@lxc, NAME@incus pick one configuration's when both define NAME)
  --project NAME     project to show (default: the remote's project, else "default")
  --all-projects     instances of every project
  --fleet            every configured remote at once (with NAME: arguments: those remotes)
  --interval TIME    the fastest the figures refresh (CPU, memory, network): the
                     selected instance's (default 2s; e.g. 500ms, 1.5s, 3)
  --daemon-budget PCT  the daemon CPU lxtop's sampling may cost, in % of one core
                     (default 10; 0: events only, no figures); many running
                     instances refresh more slowly, the header says how often
  --read-only        refuse (and hide) every command that changes something
  --detach SEQ       leaves an exec console, typed after Enter (default ~.; ^] style
                     control characters work anywhere; none disables)
  --once             print the instances table to stdout and exit
  -h, --help         this help
  -V, --version      the version

In the full-screen view press ${shownKey('help')} for every key, ${shownKey('quit')} to quit.`;

export interface CliOptions {
  socket?: string;
  project?: string;
  intervalMs: number;
  /** `--daemon-budget`: a fraction of one core (0.1 = 10 %). */
  daemonBudget: number;
  readOnly: boolean;
  /** The exec console's detach sequence (undefined: the default ~.). */
  detach?: string;
  once: boolean;
  help: boolean;
  version: boolean;
  /** Words after `exec`, or null when not the exec subcommand. */
  exec: string[] | null;
  /** Words after `logs`, or null. */
  logs: string[] | null;
  /** Words after `events`, or null. */
  events: string[] | null;
  /** Words after `edit`, or null. */
  edit: string[] | null;
  /** Words after `file`, or null. */
  file: string[] | null;
  /** Words after `console` (the instance's console as a session), or null. */
  console: string[] | null;
  /** `copy`, `move`, `publish`, `export`, `import` and their words (src/app/transfer-cli.ts), or null. */
  transfer: { verb: 'copy' | 'move' | 'publish' | 'export' | 'import'; words: string[] } | null;
  /** Words after `launch` (src/app/launch-cli.ts), or null. */
  launch: string[] | null;
}

export class CliUsageError extends Error {}

/** `2s`, `500ms`, `1.5` (seconds), `1m` → milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new CliUsageError(`--interval wants a duration like 2s or 500ms, got "${text}"`);
  const n = Number(m[1]);
  const ms = m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
  if (ms < 100) throw new CliUsageError(`--interval must be at least 100ms, got "${text}"`);
  return Math.round(ms);
}

/** `10`, `10%`, `2.5` → a fraction of one core (0.1). */
export function parseBudget(text: string): number {
  const m = /^(\d+(?:\.\d+)?)%?$/.exec(text.trim());
  if (!m) throw new CliUsageError(`--daemon-budget wants a percentage of one core like 10 or 2.5, got "${text}"`);
  const pct = Number(m[1]);
  if (pct > 1000) throw new CliUsageError(`--daemon-budget is in % of one core, at most 1000, got "${text}"`);
  return pct / 100;
}

const VALUE_OPTIONS = new Set(['--socket', '--project', '--interval', '--detach', '--daemon-budget']);

const SUBCOMMANDS = new Set(['exec', 'logs', 'events', 'edit', 'console', 'file', 'copy', 'move', 'publish', 'export', 'import', 'launch']);

/** Global options, then optionally a subcommand (`exec`, `logs`, `events`, `edit`) and its own words. */
export function parseCli(argv: readonly string[]): CliOptions {
  let split = argv.length;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (VALUE_OPTIONS.has(a)) {
      i++;
      continue;
    }
    if (SUBCOMMANDS.has(a)) {
      split = i;
      break;
    }
  }
  const head = argv.slice(0, split);
  const subcommand = split < argv.length ? argv[split] : null;
  let exec: string[] | null = split < argv.length ? argv.slice(split + 1) : null;
  const parsed = (() => {
    try {
      return parseArgs({
        args: [...head],
        allowPositionals: true,
        strict: true,
        options: {
          socket: { type: 'string' },
          project: { type: 'string' },
          interval: { type: 'string' },
          'daemon-budget': { type: 'string' },
          'read-only': { type: 'boolean' },
          detach: { type: 'string' },
          once: { type: 'boolean' },
          help: { type: 'boolean', short: 'h' },
          version: { type: 'boolean', short: 'V' },
        },
      });
    } catch (err) {
      throw new CliUsageError((err as Error).message);
    }
  })();
  if (parsed.positionals.length > 0) throw new CliUsageError(`unexpected argument "${parsed.positionals[0]}"`);
  let values = parsed.values;
  // `lxtop exec --socket PATH NAME`: the socket is ours, the rest is the console's.
  if (exec) {
    const rest: string[] = [];
    for (let i = 0; i < exec.length; i++) {
      const a = exec[i];
      if (a === '--') {
        rest.push(...exec.slice(i));
        break;
      }
      if (a === '--socket' && i + 1 < exec.length) {
        values = { ...values, socket: exec[++i] };
        continue;
      }
      if (a.startsWith('--socket=')) {
        values = { ...values, socket: a.slice('--socket='.length) };
        continue;
      }
      rest.push(a);
    }
    // `lxtop --detach X exec NAME`: the console's own --detach, unless exec gives one itself.
    if (subcommand === 'exec' && values.detach !== undefined && !rest.some((a) => a === '--detach' || a.startsWith('--detach='))) {
      const end = rest.indexOf('--');
      rest.splice(end === -1 ? rest.length : end, 0, '--detach', values.detach);
    }
    exec = rest;
  }
  return {
    socket: values.socket,
    project: values.project,
    intervalMs: values.interval !== undefined ? parseDuration(values.interval) : 2000,
    daemonBudget: values['daemon-budget'] !== undefined ? parseBudget(values['daemon-budget']) : 0.1,
    readOnly: values['read-only'] === true,
    detach: values.detach,
    once: values.once === true,
    help: values.help === true,
    version: values.version === true,
    exec: subcommand === 'exec' ? exec : null,
    logs: subcommand === 'logs' ? exec : null,
    events: subcommand === 'events' ? exec : null,
    edit: subcommand === 'edit' ? exec : null,
    file: subcommand === 'file' ? exec : null,
    console: subcommand === 'console' ? exec : null,
    transfer:
      subcommand === 'copy' || subcommand === 'move' || subcommand === 'publish' || subcommand === 'export' || subcommand === 'import'
        ? { verb: subcommand, words: exec ?? [] }
        : null,
    launch: subcommand === 'launch' ? (exec ?? []) : null,
  };
}
