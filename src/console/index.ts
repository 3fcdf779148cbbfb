// The exec console: an interactive shell (or any command) in an instance on the caller's terminal,
// and the `lxtop exec` subcommand. The TUI calls runConsole after releasing the terminal; the CLI
// calls execMain once global options are parsed and a client is connected.
import type { LxdApi } from '../lxd/api.js';
import { errorText } from '../lxd/errors.js';
import { EXEC_USAGE, parseExecArgs, UsageError, type ExecArgs } from './args.js';
import { runInteractive, type ConsoleIo } from './interactive.js';
import { runNonInteractive } from './noninteractive.js';
import { prepare, type ConsoleResult, type ExecTarget } from './prepare.js';

export type { ConsoleResult, ConsoleReason } from './prepare.js';
export type { ConsoleIo } from './interactive.js';
export { parseExecArgs, UsageError, EXEC_USAGE } from './args.js';

export interface ConsoleOptions extends ExecTarget {
  /** Typed right after Enter (or first thing) to leave the session; default "~."; "none" disables. */
  detach?: string;
}

/** TERM for the remote PTY: the user's, else xterm-256color. */
function remoteTerm(env: NodeJS.ProcessEnv = process.env): string {
  const term = env.TERM;
  return term !== undefined && term !== '' && term !== 'dumb' ? term : 'xterm-256color';
}

/**
 * Runs an interactive session on the caller's terminal (process.stdin/stdout by default). The
 * caller has already released the terminal (Ink unmounted, alternate screen left). Sets raw mode
 * itself and always restores the mode it found, on every path. Never throws.
 */
export async function runConsole(api: LxdApi, opts: ConsoleOptions, io?: ConsoleIo): Promise<ConsoleResult> {
  const streams: ConsoleIo = io ?? { stdin: process.stdin, stdout: process.stdout };
  try {
    const prepared = await prepare(api, opts, remoteTerm());
    if (prepared.refusal !== null) return prepared.refusal;
    return await runInteractive(api, opts.instance, prepared, streams, opts.detach);
  } catch (err) {
    return { exitCode: null, reason: 'lost', message: `connection lost: ${errorText(err)}` };
  }
}

/** Exit status of `lxtop exec` for a session that did not run the command to its end. */
const EXIT_NOT_RUN = 1;
/** Like ssh: detached or connection lost. */
const EXIT_DISCONNECTED = 255;

function statusOf(result: ConsoleResult): number {
  switch (result.reason) {
    case 'exited':
      return result.exitCode ?? EXIT_NOT_RUN;
    case 'detached':
    case 'lost':
      return EXIT_DISCONNECTED;
    default:
      return EXIT_NOT_RUN;
  }
}

function interactiveWanted(args: ExecArgs): boolean {
  if (args.mode === 'interactive') return true;
  if (args.mode === 'non-interactive') return false;
  return process.stdin.isTTY === true && process.stdout.isTTY === true && !args.noStdin;
}

/**
 * `lxtop exec [remote:]NAME [options] [--] [command...]`, with `args` the words after `exec`. The
 * caller connected `api` to the remote named in `remote:NAME` already. Returns the exit status.
 */
export async function execMain(api: LxdApi, args: string[]): Promise<number> {
  let parsed: ExecArgs;
  try {
    parsed = parseExecArgs(args);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`lxtop exec: ${err.message}\n\n${EXEC_USAGE}\n`);
      return 2;
    }
    throw err;
  }
  if (parsed.help) {
    process.stdout.write(`${EXEC_USAGE}\n`);
    return 0;
  }
  const target = {
    instance: parsed.instance,
    command: parsed.command.length > 0 ? parsed.command : undefined,
    user: parsed.user,
    group: parsed.group,
    cwd: parsed.cwd,
    env: parsed.env,
    project: parsed.project,
  };
  const interactive = interactiveWanted(parsed);
  let result: ConsoleResult;
  try {
    const prepared = await prepare(api, target, interactive ? remoteTerm() : process.env.TERM);
    if (prepared.refusal !== null) {
      result = prepared.refusal;
    } else if (interactive) {
      result = await runInteractive(api, parsed.instance, prepared, { stdin: process.stdin, stdout: process.stdout }, parsed.detach);
    } else {
      result = await runNonInteractive(
        api,
        parsed.instance,
        prepared,
        { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
        parsed.noStdin,
      );
    }
  } catch (err) {
    result = { exitCode: null, reason: 'lost', message: `connection lost: ${errorText(err)}` };
  }
  if (result.reason !== 'exited') {
    // On a line of its own: the cursor may be anywhere after a raw session.
    const hint = execHint(result);
    process.stderr.write(`${interactive && result.reason !== 'refused' && result.reason !== 'not-found' ? '\r\n' : ''}lxtop: ${result.message}\n${hint ? `${hint}\n` : ''}`);
  } else if (result.message.startsWith('command not found') || result.exitCode === null) {
    process.stderr.write(`lxtop: ${result.message}\n`);
  }
  // The caller may process.exit() right away, and that drops writes still queued on a pipe:
  // return only once everything written reached the kernel.
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  return statusOf(result);
}

/** What to do about an exec that did not run, for the command line (the TUI's status line has no room). */
function execHint(result: ConsoleResult): string | null {
  if (result.reason === 'not-found') return 'hint: lxtop --once lists the instances (--project NAME or --all-projects for other projects)';
  if (result.reason === 'lost') return 'hint: the server failed or the connection broke; try again (LXTOP_DEBUG=1 shows more)';
  if (result.reason === 'refused' && result.message.startsWith('exec refused:')) {
    return "hint: the server would not run it: ask its administrator whether this certificate (or user) may run commands there";
  }
  return null;
}

/** Resolves when everything written so far left the stream (at once if it is gone). */
export function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || !stream.writable || stream.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      stream.removeListener('error', done);
      stream.removeListener('close', done);
      resolve();
    };
    stream.once('error', done);
    stream.once('close', done);
    stream.write('', done);
  });
}
