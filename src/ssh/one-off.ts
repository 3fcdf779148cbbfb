// Which command lines are a one-off `lxtop ssh://…` that will open a tunnel, read by the program's
// entry (src/main.ts) before anything else loads: no imports, nothing but the arguments. A miss
// costs nothing (the CLI starts ssh itself); a wrong guess costs an ssh that is ended at exit.

/** The ssh:// address the CLI will connect to, or null. */
export function oneOffSshAddress(args: readonly string[], env: Record<string, string | undefined>): string | null {
  // The session holder (this program again) and the subcommands that take an address as data.
  if (env.LXTOP_RUN_HOLDER === '1') return null;
  if (['remote', 'sessions', 'attach'].includes(args[0] ?? '')) return null;
  let found: string | null = null;
  for (const a of args) {
    if (a === '--') break;
    // --socket wins over a remote; help and version connect to nothing.
    if (a === '--socket' || a.startsWith('--socket=') || ['-h', '--help', '--version', '-V'].includes(a)) return null;
    if (found === null && /^ssh:\/\//i.test(a)) found = a;
  }
  return found;
}
