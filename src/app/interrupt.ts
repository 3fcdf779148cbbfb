// Ctrl-C (SIGINT) or SIGTERM during a long command (lxtop copy, export, launch, ...): the first
// aborts the command's signal, so that it cancels what the daemon lets it cancel and cleans up
// (its `finally` blocks run, which a default SIGINT would skip); the second leaves at once.

/** Installs the handlers; the returned function removes them. */
export function cancelOnInterrupt(abort: AbortController): () => void {
  const on = (signal: NodeJS.Signals): void => {
    if (abort.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
    process.stderr.write(`\nlxtop: cancelling (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again leaves at once)\n`);
    abort.abort();
  };
  process.on('SIGINT', on).on('SIGTERM', on);
  return () => void process.off('SIGINT', on).off('SIGTERM', on);
}
