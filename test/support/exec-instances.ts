// Instances for the exec tests, made and removed with the daemon's own command-line tool (lxc or
// incus, pointed at the sandbox daemon's directory), and a helper to run the built CLI to its end.
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { cliCommand, cliPath, repoRoot, startPty, type PtyOptions, type PtySession } from './pty.js';

export type ExecDaemon = 'lxd' | 'incus';

export interface DaemonTool {
  kind: ExecDaemon;
  socket: string;
  /** Runs `lxc …` / `incus …` against the sandbox daemon; resolves with stdout. */
  tool(...args: string[]): Promise<string>;
}

export function daemonTool(kind: ExecDaemon, socket: string): DaemonTool {
  const env =
    kind === 'lxd'
      ? { ...process.env, LXD_DIR: dirname(socket), LXD_SOCKET: socket }
      : { ...process.env, INCUS_DIR: dirname(socket), INCUS_SOCKET: socket };
  const bin = kind === 'lxd' ? 'lxc' : 'incus';
  return {
    kind,
    socket,
    tool(...args) {
      // stdin must not be a pipe: `lxc init` reads a config from a stdin that is not a terminal.
      return new Promise((resolve, reject) => {
        const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (b: Buffer) => (out += b.toString()));
        child.stderr.on('data', (b: Buffer) => (err += b.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(timer);
          if (code === 0) resolve(out);
          else reject(new Error(`${bin} ${args.join(' ')}: exit ${code}: ${err.trim()}`));
        });
      });
    },
  };
}

/** A name no other test file (or earlier run) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid.toString(36)}-${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
}

export async function launch(d: DaemonTool, name: string, opts: { start?: boolean } = {}): Promise<void> {
  await d.tool('init', process.env.LXTOP_TEST_IMAGE || 'busybox', name);
  if (opts.start !== false) await d.tool('start', name);
}

export async function remove(d: DaemonTool, name: string): Promise<void> {
  try {
    await d.tool('delete', '--force', name);
  } catch {
    // already gone
  }
}

/** The CLI under test: the built one, unless LXTOP_EXEC_CLI names another entry (debugging only). */
export const execCli = process.env.LXTOP_EXEC_CLI || cliPath;

/** node and execCli, or the single executable LXTOP_TEST_BINARY names (see cliCommand in pty.ts). */
function execCommand(args: string[]): [string, string[]] {
  return process.env.LXTOP_TEST_BINARY ? cliCommand(args) : [process.execPath, [execCli, ...args]];
}

/**
 * Like startCliThenStty in pty.ts: the CLI in a pseudo-terminal through a shell that, once it
 * ended, prints `CLI-EXIT=<status>` and `stty -a`.
 */
export function startExecThenStty(args: string[], opts: PtyOptions & { term?: string } = {}): PtySession {
  const quoted = [...execCommand(args)].flat().map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  // node-pty sets TERM from its terminal name: another TERM for lxtop is set by the shell.
  const term = opts.term !== undefined ? `TERM='${opts.term}' ` : '';
  // `set -m`: job control, as in the user's interactive shell: lxtop runs as the foreground job in
  // a process group of its own, so a Ctrl-C typed at a cooked terminal reaches lxtop, not this shell.
  return startPty('/bin/sh', ['-c', `set -m; ${term}${quoted}; echo "CLI-EXIT=$?"; stty -a; sleep 30`], opts);
}

/** How the built CLI is pointed at a daemon socket (global option, before the subcommand). */
export function cliArgs(socket: string, ...rest: string[]): string[] {
  return ['--socket', socket, ...rest];
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  ms: number;
}

/**
 * Runs the built CLI with pipes (not a terminal) and collects everything. With `interruptWhen`, a
 * SIGINT (what Ctrl-C sends) once that promise resolves.
 */
export function runCli(
  args: string[],
  input?: Buffer | string,
  timeoutMs = 30_000,
  env: Record<string, string | undefined> = {},
  interruptWhen?: () => Promise<unknown>,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(...execCommand(args), {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`lxtop ${args.join(' ')} took more than ${timeoutMs} ms; stderr: ${Buffer.concat(err).toString()}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString(), ms: Date.now() - started });
    });
    child.stdin.on('error', () => {});
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
    interruptWhen?.().then(() => child.kill('SIGINT'), (e: unknown) => {
      child.kill('SIGKILL');
      reject(e instanceof Error ? e : new Error(String(e)));
    });
  });
}
