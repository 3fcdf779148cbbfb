// The line typed at `:` (run a command in the instance): a command, optionally preceded by the
// options of `lxtop exec` that make sense inside the view (`--user 0 --cwd /tmp -- ls -l`), and
// optionally by the word `exec` (`:exec ps aux`; `:exec` alone opens the shell).
import { parseExecArgs, UsageError } from '../console/args.js';
import type { ExecTarget } from '../console/prepare.js';
import { splitCommand } from '../views/format.js';

/** What the line may set besides the command: the console's own exec options, a subset. */
export type ExecLineOptions = Pick<ExecTarget, 'user' | 'group' | 'cwd' | 'env'>;

export type ExecLine = { command: string[]; options: ExecLineOptions } | { error: string };

export const EXEC_LINE_HINT = 'options first: --user UID --group GID --cwd DIR --env K=V -- command';

export function parseExecLine(line: string): ExecLine {
  let words = splitCommand(line);
  // `:exec ps aux`, the way k9s-style command lines read; `:exec` alone is the shell.
  if (words[0] === 'exec') {
    if (words.length === 1) return { command: [], options: {} };
    words = words.slice(1);
  }
  if (words.length === 0) return { error: 'Type a command, e.g. ps aux' };
  if (!words[0].startsWith('-')) return { command: words, options: {} };
  try {
    // parseExecArgs wants an instance name first: any valid one, the prompt knows the real one.
    const parsed = parseExecArgs(['x', ...words]);
    if (parsed.help || parsed.mode !== 'auto' || parsed.noStdin || parsed.detach !== undefined || parsed.project !== undefined) {
      return { error: 'Only --user, --group, --cwd and --env work here' };
    }
    if (parsed.command.length === 0) return { error: 'A command goes after the options (-- command)' };
    const { user, group, cwd, env } = parsed;
    return { command: parsed.command, options: { user, group, cwd, ...(Object.keys(env).length > 0 ? { env } : {}) } };
  } catch (err) {
    if (err instanceof UsageError) return { error: err.message };
    throw err;
  }
}
