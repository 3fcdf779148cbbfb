// `lxtop exec [remote:]NAME [options] [--] [command...]`: the arguments after the subcommand, once
// the global options were taken out. Pure; throws UsageError with a message meant for the user.

export type ExecMode = 'auto' | 'interactive' | 'non-interactive';

export interface ExecArgs {
  /** The remote part of `remote:NAME`, when given (the caller connected to it already). */
  remote?: string;
  instance: string;
  /** Empty: the default shell. */
  command: string[];
  mode: ExecMode;
  /** `-n`: stdin is not read (the command sees an immediate EOF). */
  noStdin: boolean;
  user?: number;
  group?: number;
  cwd?: string;
  env: Record<string, string>;
  detach?: string;
  project?: string;
  /** `-d`: start a background session in the session holder and print its id. */
  background: boolean;
  help: boolean;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXEC_USAGE = `Usage: lxtop exec [remote:]NAME [options] [--] [command [args...]]

Runs a command in an instance; without a command, an interactive shell (bash if the instance
has it, else sh). Interactive when stdin and stdout are terminals.

Options:
  -t, --force-interactive      allocate a pseudo-terminal even without a local terminal
  -T, --force-noninteractive   no pseudo-terminal: stdin, stdout and stderr kept apart
      --mode MODE              auto | interactive | non-interactive
  -n, --disable-stdin          do not read stdin (the command gets an immediate EOF)
      --user UID               run as this user id
      --group GID              run as this group id
      --cwd DIR                working directory inside the instance
      --env KEY=VALUE          set an environment variable (repeatable)
      --detach SEQ             detach sequence typed after Enter (default "~."; "none" to disable)
      --project NAME           project of the instance
  -d                           start it as a background session (see lxtop sessions); prints its id
  -h, --help                   show this help

In an interactive session, type Enter then ~. to detach (the remote command gets SIGHUP).
The exit status is the command's.`;

const NAME_RE = /^[A-Za-z][A-Za-z0-9-]{0,62}$/;

function nonNegativeInt(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} wants a number, got "${value}"`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n > 0xffffffff) throw new UsageError(`${flag} out of range: ${value}`);
  return n;
}

/** Splits `remote:name`; a name alone has no remote. */
export function splitRemote(target: string): { remote?: string; name: string } {
  const colon = target.indexOf(':');
  if (colon === -1) return { name: target };
  return { remote: target.slice(0, colon), name: target.slice(colon + 1) };
}

export function parseExecArgs(args: readonly string[]): ExecArgs {
  const out: ExecArgs = { instance: '', command: [], mode: 'auto', noStdin: false, env: {}, background: false, help: false };
  let target: string | undefined;
  let i = 0;

  const valueOf = (flag: string, inline: string | undefined): string => {
    if (inline !== undefined) return inline;
    if (i + 1 >= args.length) throw new UsageError(`${flag} needs a value`);
    i++;
    return args[i];
  };

  for (; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      out.command = args.slice(i + 1);
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const flag = eq === -1 ? arg : arg.slice(0, eq);
      const inline = eq === -1 ? undefined : arg.slice(eq + 1);
      const noValue = (): void => {
        if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
      };
      switch (flag) {
        case '--force-interactive':
          noValue();
          out.mode = 'interactive';
          break;
        case '--force-noninteractive':
          noValue();
          out.mode = 'non-interactive';
          break;
        case '--disable-stdin':
          noValue();
          out.noStdin = true;
          break;
        case '--help':
          noValue();
          out.help = true;
          break;
        case '--mode': {
          const mode = valueOf(flag, inline);
          if (mode !== 'auto' && mode !== 'interactive' && mode !== 'non-interactive') {
            throw new UsageError(`--mode must be auto, interactive or non-interactive, got "${mode}"`);
          }
          out.mode = mode;
          break;
        }
        case '--user':
          out.user = nonNegativeInt(flag, valueOf(flag, inline));
          break;
        case '--group':
          out.group = nonNegativeInt(flag, valueOf(flag, inline));
          break;
        case '--cwd': {
          const cwd = valueOf(flag, inline);
          if (cwd === '') throw new UsageError('--cwd needs a directory');
          out.cwd = cwd;
          break;
        }
        case '--env': {
          const kv = valueOf(flag, inline);
          const at = kv.indexOf('=');
          if (at <= 0) throw new UsageError(`--env wants KEY=VALUE, got "${kv}"`);
          out.env[kv.slice(0, at)] = kv.slice(at + 1);
          break;
        }
        case '--detach':
          out.detach = valueOf(flag, inline);
          break;
        case '--project': {
          const project = valueOf(flag, inline);
          if (project === '') throw new UsageError('--project needs a name');
          out.project = project;
          break;
        }
        default:
          throw new UsageError(`unknown option ${flag}`);
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // Short flags, grouped (`-tn`).
      for (const c of arg.slice(1)) {
        if (c === 't') out.mode = 'interactive';
        else if (c === 'T') out.mode = 'non-interactive';
        else if (c === 'n') out.noStdin = true;
        else if (c === 'h') out.help = true;
        else if (c === 'd') out.background = true;
        else throw new UsageError(`unknown option -${c}`);
      }
      continue;
    }
    if (target === undefined) {
      target = arg;
      continue;
    }
    // The first word after the name starts the command; the rest is the command's.
    out.command = args.slice(i);
    break;
  }

  if (out.help) return out;
  if (target === undefined) throw new UsageError('which instance? lxtop exec [remote:]NAME [-- command...]');
  const { remote, name } = splitRemote(target);
  if (remote !== undefined) {
    if (remote === '') throw new UsageError(`bad instance "${target}": empty remote before ":"`);
    out.remote = remote;
  }
  if (name.includes('/')) throw new UsageError(`"${name}" is a snapshot; exec runs in instances only`);
  if (!NAME_RE.test(name)) throw new UsageError(`invalid instance name "${name}"`);
  out.instance = name;
  return out;
}
