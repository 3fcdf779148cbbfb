// What the command line's streaming subcommands (`lxtop logs`, `lxtop events`) share around their
// own work: the words parsed or the usage shown, and a connection run until it ends or Ctrl-C /
// SIGTERM stops it, then closed.
import type { LxdApi } from '../lxd/api.js';

/** Connects to the daemon of `remote` (the command line's own when undefined); exits 1 on failure. */
export type Connector = (remote: string | undefined, opts: { long: boolean }) => Promise<LxdApi>;

/** The parsed words, or the exit code: 2 after a usage error (with the usage), 0 after --help. */
export function parseOrUsage<A extends { help: boolean }>(words: readonly string[], parse: (words: readonly string[]) => A, usage: string): A | number {
  let args: A;
  try {
    args = parse(words);
  } catch (err) {
    process.stderr.write(`lxtop: ${(err as Error).message}\n\n${usage}\n`);
    return 2;
  }
  if (!args.help) return args;
  process.stdout.write(`${usage}\n`);
  return 0;
}

/** `run` on `api` with a signal that SIGINT and SIGTERM abort; a failure is `lxtop: <message>`, 1. */
export async function untilStopped(api: LxdApi, run: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await run(stop.signal);
  } catch (err) {
    process.stderr.write(`lxtop: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await api.close().catch(() => undefined);
  }
}
